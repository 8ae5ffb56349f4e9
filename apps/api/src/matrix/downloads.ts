import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorise, type Operation } from '@kyogi/auth/permissions';
import { bearerToken, TokenError, type TokenVerifier } from '@kyogi/auth/token-verifier';
import type { Actor } from '@kyogi/domain/shared/decider';
import { InvalidPositionError, parsePosition, type Position } from '@kyogi/event-store/port';
import { ProjectionTimeoutError, type Projector } from '@kyogi/read-models/projector';

/** A download refused: the status and a JSON body `{ code, message }`, as the audit exports answer. */
export type Refusal = { readonly status: number; readonly code: string; readonly message: string };

export const isRefusal = (value: unknown): value is Refusal => typeof value === 'object' && value !== null && 'status' in value && 'code' in value;

/** The actor of a download's bearer token if they may do `operation`; 401 or 403 otherwise. */
export async function signedIn(verifier: TokenVerifier, request: IncomingMessage, operation: Operation): Promise<Actor | Refusal> {
  const token = bearerToken(request.headers.authorization);
  if (!token) return { status: 401, code: 'UNAUTHENTICATED', message: 'No bearer token was given' };
  let actor: Actor;
  try {
    actor = (await verifier.verify(token)).actor;
  } catch (error) {
    if (error instanceof TokenError && error.code === 'VERIFIER_UNAVAILABLE') return { status: 503, code: 'SERVICE_UNAVAILABLE', message: error.message };
    return { status: 401, code: 'UNAUTHENTICATED', message: error instanceof TokenError ? error.message : 'The token was refused' };
  }
  const verdict = authorise(operation, actor);
  return verdict.allowed ? actor : { status: 403, code: 'FORBIDDEN', message: verdict.reason };
}

/** `?waitFor=<position>` of a download: read one's own write (as the queries' waitFor). */
export async function waitForPosition(projector: Projector, waitFor: string | undefined): Promise<Refusal | null> {
  if (waitFor === undefined || waitFor === '') return null;
  let position: Position;
  try {
    position = parsePosition(waitFor);
  } catch (error) {
    if (error instanceof InvalidPositionError) return { status: 400, code: 'INVALID_POSITION', message: error.message };
    throw error;
  }
  try {
    await projector.waitFor(position, 10_000);
  } catch (error) {
    if (error instanceof ProjectionTimeoutError) return { status: 503, code: error.code, message: error.message };
    throw error;
  }
  return null;
}

export function refuse(response: ServerResponse, { status, code, message }: Refusal): void {
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.end(JSON.stringify({ code, message }));
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends a whole file as an attachment: an ASCII name for old clients, the Japanese one (RFC 6266 / 5987) for the rest. */
export function sendFile(response: ServerResponse, body: Buffer | string, contentType: string, asciiName: string, name: string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  response.statusCode = 200;
  response.setHeader('Content-Type', contentType);
  response.setHeader('Content-Length', String(bytes.length));
  response.setHeader('Content-Disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`);
  // Drafts and hidden rounds: never kept by a shared cache.
  response.setHeader('Cache-Control', 'private, no-store');
  response.end(bytes);
}
