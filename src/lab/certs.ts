import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { exec } from './exec'

export interface LabCerts {
  caPem: string
  caCertPath: string
  certPath: string
  keyPath: string
  dhPath: string
}

// EC keys: RSA generation alone would cost a noticeable part of the < 5 s start budget.
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

/**
 * A fresh CA and a server cert (CN=localhost, SAN DNS:localhost + IP:127.0.0.1) per run, so no test
 * can pass by trusting a cert left over from somewhere else. Clients trust `caPem` and nothing more.
 */
export async function createCerts(dir: string): Promise<LabCerts> {
  const p = (name: string): string => join(dir, name)
  const subjCa = `/CN=Mail Lab CA ${process.pid}-${Date.now()}`
  await exec(
    'openssl',
    ['req', '-x509', ...EC, '-keyout', p('ca.key'), '-out', p('ca.pem')]
      .concat(['-days', '2', '-subj', subjCa, '-addext', 'basicConstraints=critical,CA:TRUE'])
      .concat(['-addext', 'keyUsage=critical,keyCertSign,cRLSign']),
  )
  await writeFile(
    p('server.ext'),
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '',
    ].join('\n'),
  )
  await exec('openssl', [
    'req',
    ...EC,
    '-keyout',
    p('server.key'),
    '-out',
    p('server.csr'),
    '-subj',
    '/CN=localhost',
  ])
  await exec(
    'openssl',
    ['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key')].concat([
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      p('server.ext'),
      '-out',
      p('server.crt'),
    ]),
  )
  // Dovecot wants DH parameters for DHE suites; a named RFC 7919 group costs nothing to "generate".
  await exec('openssl', [
    'genpkey',
    '-genparam',
    '-algorithm',
    'DH',
    '-pkeyopt',
    'dh_param:ffdhe2048',
    '-out',
    p('dh.pem'),
  ])
  return {
    caPem: await readFile(p('ca.pem'), 'utf8'),
    caCertPath: p('ca.pem'),
    certPath: p('server.crt'),
    keyPath: p('server.key'),
    dhPath: p('dh.pem'),
  }
}
