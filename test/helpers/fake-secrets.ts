/**
 * Fake credentials for the secret-value tests, assembled at run time so that no secret-looking literal is committed
 * (repository secret scanners, ours included, would flag them). The AWS ids are AWS's own documentation examples.
 */
const join = (...parts: string[]): string => parts.join('');

/** AWS's documented example access key id. */
export const FAKE_AWS_KEY_ID = join('AKIA', 'IOSFODNN7EXAMPLE');
/** A second AWS documentation example key id. */
export const FAKE_AWS_KEY_ID_2 = join('AKIA', 'I44QH8DHBEXAMPLE');
/** PEM header of an RSA private key. */
export const BEGIN_RSA_KEY = join('-----BEGIN RSA ', 'PRIVATE KEY-----');
/** PEM header of a PKCS#8 private key. */
export const BEGIN_PKCS8_KEY = join('-----BEGIN ', 'PRIVATE KEY-----');
/** A legacy-format `sk-` API key. */
export const FAKE_SK_KEY = join('sk-', '4f8a2c9e1b7d3a6c5e0f9a8b7c6d5e4f');
