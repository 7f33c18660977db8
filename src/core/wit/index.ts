/**
 * WIT text of a component, printed by wasm-tools (through @bytecodealliance/jco-transpile). Loaded on first
 * use: it brings a multi-megabyte engine that module inspection never needs.
 */
import { loadWasmTools } from '../compile/engines';

export async function componentWit(bytes: Uint8Array): Promise<string> {
  const tools = await loadWasmTools();
  try {
    return await tools.componentWit(bytes);
  } catch (error) {
    // wasm-tools throws its own error objects or strings; turn them into one readable line.
    const message =
      error instanceof Error
        ? error.message
        : typeof error === 'object' && error && 'payload' in error
          ? String((error as { payload: unknown }).payload)
          : String(error);
    throw new Error(`wasm-tools could not print the WIT world: ${message.split('\n')[0]}`);
  }
}

export { checkWit } from './check';
