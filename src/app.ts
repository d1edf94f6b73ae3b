import type { Clock } from './clock.js';
import type { BlobStore, MetadataStore } from './store/types.js';
import type { Identity } from './context/request-context.js';
import type { IdGenerator } from './identity/ids.js';

export interface AppConfig {
  region: string;
  dataDir: string;
  version: string;
}

/** Resolves an access key to its secret and the identity it stands for. */
export interface CredentialResolver {
  resolve(accessKeyId: string, sessionToken: string | undefined): Promise<ResolvedCredential | null>;
}

export interface ResolvedCredential {
  secretAccessKey: string;
  identity: Identity;
}

/** The object graph of one running server; built once in the serve command, passed everywhere. */
export interface App {
  config: AppConfig;
  clock: Clock;
  store: MetadataStore;
  blobs: BlobStore;
  credentials: CredentialResolver;
  /** Seals secrets at rest (access-key secrets, STS session tokens, KMS key material). Never log it. */
  masterKey: Buffer;
  /** Random IDs: account IDs, access keys, AIDA/AROA unique IDs. */
  ids: IdGenerator;
}
