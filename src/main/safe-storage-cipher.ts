import { safeStorage } from 'electron'
import { MailError } from '../shared/errors'
import type { SecretCipher } from '../core/secrets/secret-cipher'

/**
 * Passwords are encrypted with the OS keychain's key (Keychain, DPAPI, kwallet/libsecret) via safeStorage.
 * On Linux without a keyring Electron falls back to a hard-coded key ('basic_text'); that is not protection,
 * so we refuse it and tell the user what to install rather than pretend.
 */
export function createSafeStorageCipher(): SecretCipher {
  const ensureAvailable = async (): Promise<void> => {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) {
      throw new MailError(
        'INTERNAL',
        'Passwords cannot be stored securely: no system keychain is available. Install and unlock a keyring ' +
          '(e.g. GNOME Keyring or KWallet) and restart the app.',
      )
    }
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      throw new MailError(
        'INTERNAL',
        'Passwords cannot be stored securely: no system keyring was found (only the insecure fallback is ' +
          'available). Install GNOME Keyring or KWallet, then restart the app.',
      )
    }
  }
  return {
    kind: 'electron-safe-storage',
    async encrypt(plain) {
      await ensureAvailable()
      return new Uint8Array(await safeStorage.encryptStringAsync(plain))
    },
    async decrypt(data) {
      await ensureAvailable()
      const { result } = await safeStorage.decryptStringAsync(Buffer.from(data))
      return result
    },
  }
}
