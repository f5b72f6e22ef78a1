package dev.strata.trust.key;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;

/** The one curve Strata signs with: NIST P-256 (containers/image hard-codes SHA-256). */
final class Curves {
  static final ECParameterSpec P256 = p256();

  private Curves() {}

  static boolean isP256(ECParameterSpec params) {
    return params.getCurve().equals(P256.getCurve())
        && params.getOrder().equals(P256.getOrder())
        && params.getGenerator().equals(P256.getGenerator());
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JRE has no P-256", e);
    }
  }
}
