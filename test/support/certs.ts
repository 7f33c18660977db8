/**
 * A certificate authority for the test control plane, and certificates it signs: servers on loopback (the API
 * server, kwok's kubelet endpoint) and clients (a user's certificate, also one that has expired). RSA keys come from
 * node's crypto (native, fast); the X.509 certificates from `node-forge` (pure JavaScript, offline).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface KeyPair {
  /** PKCS#1 PEM */
  keyPem: string;
  /** SPKI PEM */
  publicPem: string;
}

export interface CertifiedKey {
  certPem: string;
  keyPem: string;
}

export interface TestAuthority {
  caPem: string;
  /** A serving certificate for 127.0.0.1, ::1 and localhost. */
  server(commonName: string): CertifiedKey;
  /** A client certificate: the API server takes `commonName` as the user and `groups` as its groups. */
  client(commonName: string, groups?: string[], validity?: { notBefore: Date; notAfter: Date }): CertifiedKey;
}

export function rsaKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { keyPem: privateKey, publicPem: publicKey };
}

function forgeKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const pair = rsaKeyPair();
  const key = forge.pki.privateKeyFromPem(pair.keyPem);
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e), pem: pair.keyPem };
}

/** Positive, 16 bytes. */
const serial = () => '01' + randomBytes(15).toString('hex');
const hour = 60 * 60 * 1000;

export function makeAuthority(name: string): TestAuthority {
  const now = Date.now();
  const ca = forgeKeys();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = serial();
  caCert.validity.notBefore = new Date(now - 48 * hour);
  caCert.validity.notAfter = new Date(now + 7 * 24 * hour);
  const caSubject = [{ name: 'commonName', value: `${name} CA` }];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const issue = (
    subject: forge.pki.CertificateField[],
    extensions: object[],
    validity = { notBefore: new Date(now - hour), notAfter: new Date(now + 7 * 24 * hour) },
  ): CertifiedKey => {
    const keys = forgeKeys();
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = serial();
    cert.validity.notBefore = validity.notBefore;
    cert.validity.notAfter = validity.notAfter;
    cert.setSubject(subject);
    cert.setIssuer(caSubject);
    cert.setExtensions([{ name: 'basicConstraints', cA: false }, ...extensions]);
    cert.sign(ca.privateKey, forge.md.sha256.create());
    return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.pem };
  };

  return {
    caPem: forge.pki.certificateToPem(caCert),
    server: (commonName) =>
      issue(
        [{ name: 'commonName', value: commonName }],
        [
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
          { name: 'extKeyUsage', serverAuth: true },
          {
            name: 'subjectAltName',
            altNames: [
              { type: 2, value: 'localhost' },
              { type: 7, ip: '127.0.0.1' },
              { type: 7, ip: '::1' },
            ],
          },
        ],
      ),
    client: (commonName, groups = [], validity) =>
      issue(
        [{ name: 'commonName', value: commonName }, ...groups.map((g) => ({ name: 'organizationName', value: g }))],
        [
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
          { name: 'extKeyUsage', clientAuth: true },
        ],
        validity,
      ),
  };
}
