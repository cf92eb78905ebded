export { createEntraEmulator } from './entra-emulator.ts';
export { EntraError, type EntraErrorBody, type EntraErrorName } from './entra-error.ts';
export type {
  EntraApp,
  EntraAppInput,
  EntraOptions,
  EntraResource,
  EntraResourceInput,
  EntraSettings,
  EntraState,
  EntraUser,
  EntraUserInput,
} from './entra-state.ts';
