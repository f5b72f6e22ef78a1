package dev.strata.catalog;

import java.util.Locale;

/** Whether an image's digest carries a signature. */
public enum SignatureState {
  UNSIGNED,
  /** A signature was written for the digest (cosign's {@code sha256-<hex>.sig}). */
  SIGNED,
  /** A signature was written and verified against the key after writing. */
  VERIFIED;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SignatureState fromId(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
