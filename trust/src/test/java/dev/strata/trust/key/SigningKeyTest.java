package dev.strata.trust.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading, writing and using P-256 signing keys. */
class SigningKeyTest {
  private static final PasswordSource PASSWORD =
      PasswordSource.fromEnvironment(Map.of("STRATA_PASSWORD", "pw"), null);
  private static final byte[] DATA = "payload".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  @Test
  void keygenWritesAnEncryptedKeyOnlyTheOwnerCanReadAndAPublicPem() throws Exception {
    KeyPairFiles files = KeyPairFiles.of(dir, "cosign");
    SigningKey made = files.generate(PASSWORD);

    assertThat(Files.readString(files.privateKeyFile()))
        .startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.privateKeyFile())))
        .isEqualTo("rw-------");
    assertThat(VerificationKey.read(files.publicKeyFile())).isEqualTo(made.publicKey());
    SigningKey read = SigningKey.read(files.privateKeyFile(), PASSWORD);
    assertThat(read.publicKey()).isEqualTo(made.publicKey());
    assertThat(made.publicKey().verifies(DATA, read.sign(DATA))).isTrue();
  }

  @Test
  void keygenNeverOverwritesAnExistingKey() throws Exception {
    Files.writeString(dir.resolve("cosign.key"), "precious");
    assertThatThrownBy(() -> KeyPairFiles.of(dir, "cosign").generate(PASSWORD))
        .hasMessageContaining("cosign.key")
        .hasMessageContaining("refusing to overwrite");
    assertThat(Files.readString(dir.resolve("cosign.key"))).isEqualTo("precious");
  }

  @Test
  void aPlainPkcs8PemIsReadAndItsPublicKeyDerived() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    var pair = generator.generateKeyPair();
    Path file = dir.resolve("plain.pem");
    Files.writeString(file, new Pem("PRIVATE KEY", pair.getPrivate().getEncoded()).encode());

    SigningKey key = SigningKey.read(file, PASSWORD);

    assertThat(key.publicKey()).isEqualTo(new VerificationKey(pair.getPublic()));
  }

  @Test
  void anOpensslSec1KeyIsRead() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    var pair = generator.generateKeyPair();
    byte[] sec1 =
        PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded())
            .parsePrivateKey()
            .toASN1Primitive()
            .getEncoded();
    Path file = dir.resolve("ec.pem");
    Files.writeString(file, new Pem("EC PRIVATE KEY", sec1).encode());

    SigningKey key = SigningKey.read(file, PASSWORD);

    assertThat(key.publicKey()).isEqualTo(new VerificationKey(pair.getPublic()));
  }

  @Test
  void aP384KeyIsRefused() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    Path file = dir.resolve("p384.pem");
    Files.writeString(
        file,
        new Pem("PRIVATE KEY", generator.generateKeyPair().getPrivate().getEncoded()).encode());

    assertThatThrownBy(() -> SigningKey.read(file, PASSWORD))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("only ECDSA P-256");
  }

  @Test
  void aPublicKeyGivenForSigningIsRefusedWithAHint() throws Exception {
    Path file = dir.resolve("cosign.pub");
    Files.writeString(file, SigningKey.generate().publicKey().pem());
    assertThatThrownBy(() -> SigningKey.read(file, PASSWORD))
        .hasMessageContaining("this is a public key");
  }

  @Test
  void withoutPasswordVariablesOrTerminalTheReadFailsInsteadOfWaiting() throws Exception {
    KeyPairFiles files = KeyPairFiles.of(dir, "k");
    files.generate(PASSWORD);
    assertThatThrownBy(
            () ->
                SigningKey.read(
                    files.privateKeyFile(), PasswordSource.fromEnvironment(Map.of(), null)))
        .hasMessageContaining("set STRATA_PASSWORD");
  }

  @Test
  void cosignPasswordIsUsedWhenStrataPasswordIsUnset() throws Exception {
    assertThat(
            PasswordSource.fromEnvironment(Map.of("COSIGN_PASSWORD", ""), null)
                .password("p", false))
        .isEmpty();
  }

  @Test
  void theKeyNeverPrintsItsPrivateHalf() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    var pair = generator.generateKeyPair();
    Path file = dir.resolve("plain.pem");
    Files.writeString(file, new Pem("PRIVATE KEY", pair.getPrivate().getEncoded()).encode());
    SigningKey key = SigningKey.read(file, PASSWORD);
    String scalarHex =
        ((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS().toString(16);

    assertThat(key.toString())
        .contains(key.publicKey().fingerprint())
        .doesNotContain(scalarHex)
        .doesNotContain(Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
  }

  @Test
  void aSignatureDoesNotVerifyOtherDataOrUnderAnotherKey() {
    SigningKey key = SigningKey.generate();
    byte[] signature = key.sign(DATA);
    assertThat(key.publicKey().verifies("other".getBytes(StandardCharsets.UTF_8), signature))
        .isFalse();
    assertThat(SigningKey.generate().publicKey().verifies(DATA, signature)).isFalse();
  }
}
