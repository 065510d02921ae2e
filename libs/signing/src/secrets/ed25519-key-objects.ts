import { KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';

/*
 * node:crypto imports raw ed25519 keys only as JWK (which needs the public half too) or DER. The DER forms are
 * fixed-size RFC 8410 structures, so a constant header followed by the 32 raw bytes is the whole encoding.
 */
const PKCS8_ED25519_HEADER = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_HEADER = Buffer.from('302a300506032b6570032100', 'hex');

/** A private KeyObject from a raw 32-byte RFC 8032 seed. */
export function ed25519PrivateKeyFromSeed(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_HEADER, seed]), format: 'der', type: 'pkcs8' });
}

/** A public KeyObject from the raw 32-byte public key. */
export function ed25519PublicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_HEADER, raw]), format: 'der', type: 'spki' });
}

/** The raw 32-byte seed of a private key. */
export function rawEd25519Seed(privateKey: KeyObject): Buffer {
  return privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_ED25519_HEADER.length);
}

/** The raw 32-byte public key. */
export function rawEd25519PublicKey(publicKey: KeyObject): Buffer {
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_HEADER.length);
}
