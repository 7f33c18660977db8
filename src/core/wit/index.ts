/** WIT text of a component, printed by wasm-tools. */
import { loadWasmTools, wasmToolsFailure } from '../platform/wasm-tools';

export async function componentWit(bytes: Uint8Array): Promise<string> {
  const tools = await loadWasmTools();
  try {
    return await tools.componentWit(bytes);
  } catch (error) {
    throw wasmToolsFailure('print the WIT world', error);
  }
}

export { checkWit } from './check';
