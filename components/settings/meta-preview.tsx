'use client';
import type { SsoMetaDocument } from '@/shared/settings/document';
import { Badge } from '@/components/ui/badge';
import { CopyButton } from '@/components/ui/copy-button';
import { JsonBlock } from '@/components/ui/json-block';
import { Section } from '@/components/ui/section';

/** The /sso-meta document the draft would publish, computed with the server's own functions. */
export function MetaPreview({
  draftMeta,
  liveMeta,
  valid,
  dirty,
}: {
  draftMeta: SsoMetaDocument | null;
  liveMeta: SsoMetaDocument | null;
  valid: boolean;
  dirty: boolean;
}) {
  const differs = JSON.stringify(draftMeta) !== JSON.stringify(liveMeta);
  return (
    <Section
      id="meta-preview"
      title="Preview of /sso-meta"
      actions={dirty ? <Badge tone={differs ? 'warn' : 'neutral'}>{differs ? 'changes when saved' : 'same as published'}</Badge> : <Badge>published</Badge>}
    >
      <div aria-live="polite">
        {!valid ? (
          <p className="text-sm text-red-800 dark:text-red-300">Fix the errors in the form to see the preview.</p>
        ) : draftMeta ? (
          <div className="space-y-2">
            <CopyButton value={JSON.stringify(draftMeta, null, 2)} label="Copy the previewed /sso-meta document" />
            <JsonBlock value={draftMeta} label="Preview of the /sso-meta document" />
          </div>
        ) : (
          <p className="text-sm text-slate-700 dark:text-slate-200">
            SSO is off or incomplete: <code>/sso-meta</code> will answer <code>404 {'{"error":"sso_not_configured"}'}</code> and clients hide the Entra ID
            button.
          </p>
        )}
      </div>
    </Section>
  );
}
