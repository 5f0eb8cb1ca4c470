import 'server-only';

/** The path of a request target without its query string (which may carry a ticket): what routes, logs and access lines name. */
export function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
