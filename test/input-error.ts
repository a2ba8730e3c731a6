/**
 * The InputError a call throws, for tests that inspect its field and message: one helper for every test (a call that
 * throws nothing, or another error, fails the test).
 */
import { InputError } from '../src/core/index.js';

/** The InputError `f` throws. */
export function inputErrorOf(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

/** The InputError `f` throws or rejects with. */
export async function inputErrorOfAsync(f: () => unknown): Promise<InputError> {
  try {
    await f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError, nothing was thrown');
}
