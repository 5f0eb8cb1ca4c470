import { escapeHtml } from './http';
import type { DemoUser } from './users';

/** Microsoft's four-square logo, drawn inline so that the pages need no asset. */
const LOGO = `<svg aria-hidden="true" width="21" height="21" viewBox="0 0 21 21"><rect width="10" height="10" fill="#f25022"/><rect x="11" width="10" height="10" fill="#7fba00"/><rect y="11" width="10" height="10" fill="#00a4ef"/><rect x="11" y="11" width="10" height="10" fill="#ffb900"/></svg>`;

const STYLE = `
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f2f2f2;font-family:"Segoe UI",system-ui,sans-serif;color:#1b1b1b}
main{background:#fff;width:440px;max-width:calc(100vw - 32px);padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2);box-sizing:border-box}
.brand{display:flex;align-items:center;gap:8px;font-size:15px;color:#5e5e5e}
h1{font-size:24px;font-weight:600;margin:16px 0 4px}
p{font-size:15px;margin:0 0 16px}
ul{list-style:none;margin:0;padding:0}
button.account{display:flex;flex-direction:column;align-items:flex-start;width:100%;padding:10px 12px;margin:0 0 6px;border:1px solid #e1e1e1;background:#fff;text-align:left;font:inherit;cursor:pointer}
button.account:hover,button.account:focus-visible{background:#f0f6ff;border-color:#0067b8;outline:none}
button.hinted{border-color:#0067b8}
.name{font-size:15px;font-weight:600}.upn{font-size:13px;color:#5e5e5e}.how{font-size:12px;color:#0067b8}
.note{margin-top:20px;font-size:12px;color:#767676}
.error{font-family:ui-monospace,monospace;font-size:13px;word-break:break-word}`;

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}<p class="note">Local Entra ID emulator (dev-entra) for development and tests. Not a Microsoft service.</p></main></body></html>`;
}

function hiddenInputs(params: Iterable<[string, string]>): string {
  return [...params].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
}

export interface SignInPageInput {
  readonly appName: string;
  readonly tenantName: string;
  readonly action: string;
  readonly params: URLSearchParams;
  readonly users: readonly DemoUser[];
  readonly hintedUserKey?: string;
}

/** The account picker: one submit button per demo user, each labelled for assistive technology. */
export function signInPage(input: SignInPageInput): string {
  const accounts = input.users
    .map((u) => {
      const upn = u.home?.upn ?? u.upn;
      const label = `Sign in as ${u.displayName}, ${upn}`;
      return `<li><button type="submit" class="account${u.key === input.hintedUserKey ? ' hinted' : ''}" name="dev_entra_user" value="${escapeHtml(u.key)}" aria-label="${escapeHtml(label)}"><span class="name">${escapeHtml(u.displayName)}</span><span class="upn">${escapeHtml(upn)}</span><span class="how">${escapeHtml(u.description)}</span></button></li>`;
    })
    .join('');
  const params = [...input.params].filter(([k]) => k !== 'dev_entra_user');
  return layout(
    'Sign in to your account',
    `<div class="brand">${LOGO}<span>Microsoft</span></div>
<h1 id="title">Sign in</h1><p>to continue to <strong>${escapeHtml(input.appName)}</strong> (${escapeHtml(input.tenantName)})</p>
<form method="post" action="${escapeHtml(input.action)}">${hiddenInputs(params)}<ul aria-labelledby="title">${accounts}</ul></form>`,
  );
}

/** Entra's error page, for requests whose client or redirect URI cannot be trusted with a reply. */
export function errorPage(code: number, description: string): string {
  return layout(
    'Sign in to your account',
    `<div class="brand">${LOGO}<span>Microsoft</span></div>
<h1>Sorry, but we’re having trouble signing you in.</h1><p class="error" role="alert">AADSTS${code}: ${escapeHtml(description)}</p>`,
  );
}

/** `response_mode=form_post`: the browser posts the response to the redirect URI. */
export function formPostPage(redirectUri: string, params: Record<string, string>): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Working...</title></head><body><form method="post" action="${escapeHtml(redirectUri)}">${hiddenInputs(Object.entries(params))}<noscript><p>Script is disabled. Click Submit to continue.</p><button type="submit">Submit</button></noscript></form><script>document.forms[0].submit()</script></body></html>`;
}

/** What Entra shows at the native-client redirect URI, which installed apps intercept. */
export function nativeClientPage(): string {
  return layout('Native client', '<h1>Signed in</h1><p>You can close this window and return to the application.</p>');
}

export function signedOutPage(): string {
  return layout(
    'Sign out',
    `<div class="brand">${LOGO}<span>Microsoft</span></div><h1>You signed out of your account</h1><p>It’s a good idea to close all browser windows.</p>`,
  );
}
