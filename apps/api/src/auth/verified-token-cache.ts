import type { TokenVerifier, VerifiedIdentity } from '@kyogi/auth/token-verifier';

/**
 * Remembers the identity of each token that verified, until the token expires: a client sends the
 * same bearer token with every request, and checking its ES256 signature again each time is most
 * of what authentication costs per request. Only for a verifier whose answer depends on nothing
 * but the token and the clock (the embedded issuer's LocalTokenVerifier): an OIDC verifier also
 * asks the organisation registry, whose answer may change while the token lives.
 *
 * A token is answered from here only while `expiresAt` is after now — the moment the verifier
 * itself starts refusing it as TOKEN_EXPIRED, which a miss then reports. Refusals are not kept.
 */
export class VerifiedTokenCache implements TokenVerifier {
  private readonly identities = new Map<string, VerifiedIdentity>();

  constructor(
    private readonly verifier: TokenVerifier,
    private readonly clock: () => Date,
    /** Beyond this many tokens the oldest is forgotten (it verifies again when it returns). */
    private readonly maxTokens = 10_000,
  ) {}

  async verify(token: string): Promise<VerifiedIdentity> {
    const known = this.identities.get(token);
    if (known) {
      if (known.expiresAt.getTime() > this.clock().getTime()) return known;
      this.identities.delete(token);
    }
    const identity = await this.verifier.verify(token);
    if (this.identities.size >= this.maxTokens) this.identities.delete(this.identities.keys().next().value!);
    this.identities.set(token, identity);
    return identity;
  }
}
