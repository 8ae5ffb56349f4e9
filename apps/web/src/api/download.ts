/**
 * Downloads from the API's own origin that need the session's bearer token (result sheets, audit
 * exports): a plain <a href> would go without the Authorization header, so we fetch the file,
 * then hand the browser a blob URL to save under the server's file name.
 */
import { currentToken } from '../auth/token';

/** A download the server refused, with its code (FORBIDDEN, WITHHELD_ENTRIES, …) and message. */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
  ) {
    super(code ? `${code}: ${message}` : message);
    this.name = 'DownloadError';
  }
}

/** The file name from `Content-Disposition: attachment; filename="…"`, else the fallback. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const match = disposition ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition) : null;
  if (!match) return fallback;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/** Fetches `path` (same origin) with the token and saves it; resolves with the file name and size. */
export async function downloadWithToken(path: string, fallbackName: string): Promise<{ fileName: string; bytes: number }> {
  const token = currentToken();
  const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) {
    let code: string | null = null;
    let message = `HTTP ${response.status}`;
    try {
      const body = (await response.json()) as { code?: string; message?: string; errors?: { code?: string; message?: string }[] };
      const first = body.errors?.[0] ?? body;
      code = first.code ?? null;
      message = first.message ?? message;
    } catch {
      // not JSON: the status says enough
    }
    throw new DownloadError(message, response.status, code);
  }
  const blob = await response.blob();
  const fileName = fileNameOf(response.headers.get('content-disposition'), fallbackName);
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.hidden = true;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Give the browser a moment to start the save before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { fileName, bytes: blob.size };
}
