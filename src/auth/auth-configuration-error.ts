/** An app registration that cannot even be asked for a token: a missing credential, an unreadable key. */
export class AuthConfigurationError extends Error {
  readonly code = 'auth_configuration';
  /** The configuration keys to fix. */
  readonly configKeys: readonly string[];
  constructor(message: string, configKeys: readonly string[]) {
    super(message);
    this.configKeys = configKeys;
  }
}
