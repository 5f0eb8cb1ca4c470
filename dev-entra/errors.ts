import { newGuid } from './opaque';

/** An OAuth error as Entra phrases it: an OAuth code, an AADSTS number and a description. */
export interface EntraError {
  readonly error: string;
  readonly code: number;
  readonly description: string;
}

export function entraError(error: string, code: number, description: string): EntraError {
  return { error, code, description };
}

/** Entra's timestamp format in error bodies: `2024-01-02 03:04:05Z`. */
function timestamp(now: Date): string {
  return `${now.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** The JSON body of a failed token request, member for member like Entra's. */
export function tokenErrorBody(origin: string, e: EntraError, correlationId?: string): Record<string, unknown> {
  const traceId = newGuid();
  const correlation = correlationId ?? newGuid();
  const time = timestamp(new Date());
  return {
    error: e.error,
    error_description: `AADSTS${e.code}: ${e.description} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${time}`,
    error_codes: [e.code],
    timestamp: time,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `${origin}/error?code=${e.code}`,
  };
}

/** The parameters of an error sent back to a redirect URI. */
export function redirectErrorParams(origin: string, e: EntraError): Record<string, string> {
  return {
    error: e.error,
    error_description: `AADSTS${e.code}: ${e.description} Trace ID: ${newGuid()} Correlation ID: ${newGuid()} Timestamp: ${timestamp(new Date())}`,
    error_uri: `${origin}/error?code=${e.code}`,
  };
}
