package dev.strata.trust.key;

import dev.strata.bridge.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * An ECDSA P-256 public key that checks cosign signatures: PEM {@code PUBLIC KEY} (PKIX), the
 * format of {@code cosign.pub} and of containers' {@code policy.json keyPath}.
 */
public final class VerificationKey {
  private final ECPublicKey key;
  private final byte[] encoded;

  VerificationKey(PublicKey key) {
    if (!(key instanceof ECPublicKey ec) || !Curves.isP256(ec.getParams())) {
      throw new IllegalArgumentException("only ECDSA P-256 keys are supported");
    }
    this.key = ec;
    this.encoded = key.getEncoded();
  }

  /** Parses a PEM {@code PUBLIC KEY}; {@code where} names its origin in errors. */
  public static VerificationKey fromPem(String text, String where) throws KeyFileException {
    Pem pem = Pem.parseOne(text, where);
    if (!pem.type().equals("PUBLIC KEY")) {
      throw new KeyFileException(
          where
              + ": a '"
              + pem.type()
              + "' PEM is not a public key (expected -----BEGIN PUBLIC KEY-----, e.g. cosign.pub)");
    }
    try {
      return new VerificationKey(
          KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(pem.bytes())));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new KeyFileException(where + ": not an ECDSA P-256 public key");
    }
  }

  /** Reads a public key file. */
  public static VerificationKey read(Path file) throws IOException {
    try {
      return fromPem(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    } catch (NoSuchFileException e) {
      throw new KeyFileException(file + ": no such key file");
    }
  }

  /**
   * Whether {@code signature} (ASN.1 DER as cosign writes, or the raw 64-byte r||s that cosign and
   * containers/image also accept) is this key's ECDSA signature over SHA-256 of {@code data}.
   */
  public boolean verifies(byte[] data, byte[] signature) {
    String algorithm =
        signature.length == 64 && signature[0] != 0x30
            ? "SHA256withECDSAinP1363Format"
            : "SHA256withECDSA";
    try {
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The PEM text, as {@code cosign.pub} holds it. */
  public String pem() {
    return new Pem("PUBLIC KEY", encoded).encode();
  }

  /** {@code sha256:<hex>} of the PKIX bytes: names the key in reports without showing it. */
  public String fingerprint() {
    return Digest.sha256(encoded).toString();
  }

  PublicKey publicKey() {
    return key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerificationKey other && Arrays.equals(encoded, other.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "VerificationKey[" + fingerprint() + "]";
  }
}
