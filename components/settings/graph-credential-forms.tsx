'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { GraphCredentialStatus } from '@/shared/settings/graph-credential';
import { issuesOf, messageOf, reasonOf } from '@/lib/trpc-errors';
import { useTRPC, useTRPCClient } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextArea, TextField } from '@/components/ui/field';

/**
 * A write to the credential, straight through the tRPC client rather than `useMutation`: a
 * mutation keeps its variables (here the secret or the private key) in the query client's
 * mutation cache after it settles, and nothing secret may stay in the page once saved.
 */
export function useGraphCredentialWrite() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = async (call: (c: typeof client) => Promise<GraphCredentialStatus>, doneText: string): Promise<boolean> => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const status = await call(client);
      queryClient.setQueryData(trpc.settings.graphCredential.get.queryKey(), status);
      await queryClient.invalidateQueries({ queryKey: trpc.settings.graphCredential.pathKey() });
      await queryClient.invalidateQueries({ queryKey: trpc.changes.pathKey() });
      setDone(doneText);
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, run, reset: () => (setError(null), setDone(null)) };
}

/** The refusal in words with its reason code: the field's own issue when the server named one. */
export function credentialErrorText(error: unknown): string | null {
  if (!error) return null;
  const issue = issuesOf(error)[0];
  const reason = reasonOf(error);
  return `Not saved: ${issue ? (issue.text ?? issue.message) : messageOf(error)}${reason ? ` (${reason})` : ''}`;
}

/** Set or replace the client secret: a password input never filled from the server, emptied once saved. */
export function GraphSecretForm({ replacing }: { replacing: boolean }) {
  // the input itself, taken from its change events (TextField passes no ref on)
  const input = useRef<HTMLInputElement | null>(null);
  // whether something is typed (a boolean, never the value: the secret lives only in the input)
  const [typed, setTyped] = useState(false);
  const write = useGraphCredentialWrite();
  const verb = replacing ? 'Replace client secret' : 'Set client secret';
  const save = async () => {
    const el = input.current;
    if (!el || el.value === '') return;
    const secret = el.value;
    const ok = await write.run((c) => c.settings.graphCredential.setSecret.mutate({ secret }), replacing ? 'Client secret replaced.' : 'Client secret set.');
    if (ok) {
      el.value = '';
      setTyped(false);
    } else el.focus();
  };
  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-semibold">{replacing ? 'Replace the client secret' : 'Client secret'}</legend>
      <TextField
        id="graph-client-secret"
        type="password"
        label="Client secret value"
        help="The Value column of Certificates & secrets on the app registration (shown once, when the secret is created); not its Secret ID. Saved at once, sealed at rest; never shown again."
        autoComplete="new-password"
        spellCheck={false}
        maxLength={1024}
        error={credentialErrorText(write.error)}
        onChange={(e) => {
          input.current = e.currentTarget;
          setTyped(e.currentTarget.value !== '');
          if (write.error || write.done) write.reset();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void save();
          }
        }}
      />
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="primary" size="sm" busy={write.busy} disabled={!typed} onClick={() => void save()}>
          {verb}
        </Button>
        <div aria-live="polite">{write.done ? <Alert tone="success">{write.done}</Alert> : null}</div>
      </div>
    </fieldset>
  );
}

/** Set or replace the certificate: its PEM private key and certificate, pasted or chosen as files; emptied once saved. */
export function GraphCertificateForm({ replacing }: { replacing: boolean }) {
  // the text area itself, taken from its change events (TextArea passes no ref on)
  const pasted = useRef<HTMLTextAreaElement | null>(null);
  const files = useRef<HTMLInputElement>(null);
  const [filled, setFilled] = useState(false);
  const [fileNames, setFileNames] = useState<string[]>([]);
  const write = useGraphCredentialWrite();
  const verb = replacing ? 'Replace certificate' : 'Set certificate';
  const changed = () => {
    setFilled((pasted.current?.value ?? '') !== '' || (files.current?.files?.length ?? 0) > 0);
    setFileNames(Array.from(files.current?.files ?? []).map((f) => f.name));
    if (write.error || write.done) write.reset();
  };
  const save = async () => {
    const parts = [pasted.current?.value ?? ''];
    for (const file of Array.from(files.current?.files ?? [])) parts.push(await file.text());
    const pem = parts.filter((p) => p.trim() !== '').join('\n');
    if (pem === '') return;
    const ok = await write.run(
      (c) => c.settings.graphCredential.setCertificate.mutate({ privateKeyPem: pem }),
      replacing ? 'Certificate replaced.' : 'Certificate set.',
    );
    if (ok) {
      if (pasted.current) pasted.current.value = '';
      if (files.current) files.current.value = '';
      setFilled(false);
      setFileNames([]);
    } else pasted.current?.focus();
  };
  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-semibold">{replacing ? 'Replace the certificate' : 'Certificate (recommended by Microsoft)'}</legend>
      <TextArea
        id="graph-certificate-pem"
        label="Private key and certificate (PEM)"
        help="Paste the unencrypted private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY) and its certificate (BEGIN CERTIFICATE), or choose the files below. Upload the certificate alone (the public part) to Certificates & secrets on the app registration. Saved at once, sealed at rest; never shown again."
        rows={4}
        spellCheck={false}
        autoComplete="off"
        error={credentialErrorText(write.error)}
        onChange={(e) => {
          pasted.current = e.currentTarget;
          changed();
        }}
      />
      <div className="space-y-1">
        <label htmlFor="graph-certificate-files" className="text-sm font-medium text-slate-800">
          Or choose the PEM files (key and certificate, one file or two)
        </label>
        <input
          ref={files}
          id="graph-certificate-files"
          type="file"
          multiple
          accept=".pem,.crt,.cer,.key,application/x-pem-file"
          onChange={changed}
          className="block w-full text-sm text-slate-800 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-800"
        />
        {fileNames.length ? <p className="text-xs text-slate-700">Chosen: {fileNames.join(', ')}</p> : null}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="primary" size="sm" busy={write.busy} disabled={!filled} onClick={() => void save()}>
          {verb}
        </Button>
        <div aria-live="polite">{write.done ? <Alert tone="success">{write.done}</Alert> : null}</div>
      </div>
    </fieldset>
  );
}
