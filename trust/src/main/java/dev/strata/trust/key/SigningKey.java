package dev.strata.trust.key;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;

/**
 * An ECDSA P-256 private key with its public half. It signs; it never prints itself ({@link
 * #toString()} shows the public fingerprint only) and is written to disk only encrypted.
 */
public final class SigningKey {
  private final PrivateKey privateKey;
  private final VerificationKey publicKey;

  private SigningKey(PrivateKey privateKey, VerificationKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** A fresh P-256 key pair. */
  public static SigningKey generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      return new SigningKey(pair.getPrivate(), new VerificationKey(pair.getPublic()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JRE cannot make P-256 keys", e);
    }
  }

  /**
   * Reads a private key file: cosign's encrypted format ({@code ENCRYPTED SIGSTORE PRIVATE KEY},
   * asking {@code passwords} for the password), plain PKCS#8 ({@code PRIVATE KEY}) or SEC 1 ({@code
   * EC PRIVATE KEY}, as openssl writes).
   */
  public static SigningKey read(Path file, PasswordSource passwords) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new KeyFileException(file + ": no such key file");
    }
    String where = file.toString();
    Pem pem = Pem.parseOne(text, where);
    switch (pem.type()) {
      case EncryptedKeyFile.PEM_TYPE, EncryptedKeyFile.LEGACY_PEM_TYPE -> {
        char[] password =
            passwords.password("Enter password for private key " + file + ": ", false);
        try {
          byte[] pkcs8 = EncryptedKeyFile.decrypt(pem.bytes(), password, where);
          try {
            return fromPkcs8(pkcs8, where);
          } finally {
            Arrays.fill(pkcs8, (byte) 0);
          }
        } finally {
          Arrays.fill(password, '\0');
        }
      }
      case "PRIVATE KEY" -> {
        return fromPkcs8(pem.bytes(), where);
      }
      case "EC PRIVATE KEY" -> {
        return fromSec1(pem.bytes(), where);
      }
      case "PUBLIC KEY" ->
          throw new KeyFileException(
              where + ": this is a public key; signing needs the private key (e.g. cosign.key)");
      default ->
          throw new KeyFileException(
              where
                  + ": unsupported PEM type '"
                  + pem.type()
                  + "' (expected ENCRYPTED SIGSTORE PRIVATE KEY, PRIVATE KEY or EC PRIVATE KEY)");
    }
  }

  static SigningKey fromPkcs8(byte[] pkcs8, String where) throws KeyFileException {
    PrivateKey key;
    try {
      key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new KeyFileException(where + ": not an ECDSA private key (only P-256 is supported)");
    }
    if (!(key instanceof ECPrivateKey ec) || !Curves.isP256(ec.getParams())) {
      throw new KeyFileException(where + ": only ECDSA P-256 keys are supported");
    }
    return new SigningKey(key, new VerificationKey(publicOf(ec)));
  }

  private static SigningKey fromSec1(byte[] sec1, String where) throws KeyFileException {
    try {
      byte[] pkcs8 =
          new PrivateKeyInfo(
                  new AlgorithmIdentifier(
                      X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1),
                  ASN1Primitive.fromByteArray(sec1))
              .getEncoded();
      return fromPkcs8(pkcs8, where);
    } catch (IOException | IllegalArgumentException e) {
      throw new KeyFileException(where + ": not a valid EC PRIVATE KEY");
    }
  }

  // The JDK cannot derive Q = d·G; BouncyCastle's curve arithmetic can.
  private static java.security.PublicKey publicOf(ECPrivateKey key) throws KeyFileException {
    BigInteger d = key.getS();
    var q = CustomNamedCurves.getByName("secp256r1").getG().multiply(d).normalize();
    ECPoint point =
        new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    try {
      return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, Curves.P256));
    } catch (GeneralSecurityException e) {
      throw new KeyFileException("cannot derive the public key: " + e.getMessage());
    }
  }

  /** The ECDSA signature (ASN.1 DER, what cosign writes) over SHA-256 of {@code data}. */
  public byte[] sign(byte[] data) {
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(privateKey);
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECDSA signing failed", e);
    }
  }

  /** The public half. */
  public VerificationKey publicKey() {
    return publicKey;
  }

  /** The private key in cosign's encrypted key file format (PEM text). */
  public String encryptedPem(char[] password) {
    byte[] pkcs8 = privateKey.getEncoded();
    try {
      return EncryptedKeyFile.encrypt(pkcs8, password);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "SigningKey[public " + publicKey.fingerprint() + "]";
  }
}
