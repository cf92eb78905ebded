/**
 * One POST of a signed notification to a receiver. Never throws: a transport failure or timeout comes
 * back as an attempt without a status, so the retry loop treats every failure the same way.
 */
import { type Dispatcher, request } from 'undici';

const RESPONSE_TEXT_LIMIT = 1024;

export type AttemptResult = {
  status?: number;
  responseText: string;
  error?: string;
  durationMs: number;
};

export async function postNotification(
  dispatcher: Dispatcher,
  target: { url: string; body: Buffer; headers: Record<string, string> },
  limits: { timeoutMs: number; signal: AbortSignal },
): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
  try {
    const response = await request(target.url, {
      method: 'POST',
      dispatcher,
      headers: target.headers,
      body: target.body,
      signal: AbortSignal.any([AbortSignal.timeout(limits.timeoutMs), limits.signal]),
    });
    const text = await response.body.text();
    return {
      status: response.statusCode,
      responseText: text.slice(0, RESPONSE_TEXT_LIMIT),
      durationMs: elapsed(),
    };
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { responseText: '', error: reason, durationMs: elapsed() };
  }
}
