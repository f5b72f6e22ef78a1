package dev.strata.bridge.oci;

import java.security.Provider;
import java.security.Security;

/**
 * A security provider whose only service is {@link NativeSha256}, installed first so that every
 * {@code MessageDigest.getInstance("SHA-256")} in the process (Strata's own digests, jib-core's
 * blob digests, the planner's cache keys) hashes through libcrypto. Where libcrypto cannot be
 * loaded nothing is installed and the JDK's SHA-256 is used.
 */
public final class Sha256Provider extends Provider {
  /** The provider's name, as {@code MessageDigest.getProvider().getName()} reports it. */
  public static final String NAME = "StrataLibcrypto";

  private Sha256Provider() {
    super(NAME, "1.0", "SHA-256 through OpenSSL's libcrypto");
    putService(
        new Service(
            this,
            "MessageDigest",
            "SHA-256",
            NativeSha256.class.getName(),
            java.util.List.of("SHA256", "2.16.840.1.101.3.4.2.1", "OID.2.16.840.1.101.3.4.2.1"),
            null) {
          @Override
          public Object newInstance(Object constructorParameter) {
            return new NativeSha256();
          }
        });
  }

  /**
   * Installs the provider ahead of the JDK's once per process; returns whether SHA-256 now goes
   * through libcrypto.
   */
  public static synchronized boolean install() {
    if (Security.getProvider(NAME) != null) {
      return true;
    }
    if (NativeSha256.unavailable().isPresent()) {
      return false;
    }
    Security.insertProviderAt(new Sha256Provider(), 1);
    return true;
  }
}
