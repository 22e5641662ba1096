// `error.cause` on the package's error classes, type-checked with `lib` es2020, where the
// standard `Error` has no `cause` yet.
import { OWOXApiError, OWOXAuthError, OWOXConfigError } from '@owox/api-client';

export function causes(error: unknown): unknown[] {
  if (error instanceof OWOXAuthError) return [error.cause];
  if (error instanceof OWOXApiError) return [error.cause, error.attempts];
  if (error instanceof OWOXConfigError) return [error.cause];
  return [];
}
