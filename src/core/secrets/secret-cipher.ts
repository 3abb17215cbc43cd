/**
 * Encrypts account secrets (passwords, OAuth refresh tokens) before they touch the disk. Under Electron it is
 * backed by the OS keychain (safeStorage); the web host uses `FileKeyCipher`. Never plaintext at rest.
 */
export interface SecretCipher {
  /** Stored next to the ciphertexts so a store written with another cipher is recognised, not mis-decrypted. */
  readonly kind: string
  encrypt(plain: string): Promise<Uint8Array>
  /**
   * @throws MailError SECRET_UNREADABLE (or the cipher's own code) when the data was tampered with or was
   *   encrypted with another key.
   */
  decrypt(data: Uint8Array): Promise<string>
}
