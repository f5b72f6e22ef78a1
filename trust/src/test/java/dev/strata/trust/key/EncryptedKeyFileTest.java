package dev.strata.trust.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** cosign's encrypted key file: scrypt + nacl secretbox, as go-securesystemslib writes it. */
class EncryptedKeyFileTest {
  private static final byte[] SECRET = "pkcs8 bytes stand-in".getBytes(StandardCharsets.UTF_8);

  @Test
  void whatIsEncryptedDecryptsWithTheSamePassword() throws Exception {
    Pem pem = Pem.parseOne(EncryptedKeyFile.encrypt(SECRET, "s3cret".toCharArray()), "t");
    assertThat(pem.type()).isEqualTo("ENCRYPTED SIGSTORE PRIVATE KEY");
    assertThat(EncryptedKeyFile.decrypt(pem.bytes(), "s3cret".toCharArray(), "t"))
        .isEqualTo(SECRET);
  }

  @Test
  void theFileHoldsCosignsJsonWithScryptCost2To16() throws Exception {
    String json =
        new String(
            Pem.parseOne(EncryptedKeyFile.encrypt(SECRET, new char[0]), "t").bytes(),
            StandardCharsets.UTF_8);
    assertThat(json)
        .contains("\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":65536,\"r\":8,\"p\":1}")
        .contains("\"cipher\":{\"name\":\"nacl/secretbox\"")
        .contains("\"ciphertext\":");
  }

  @Test
  void aWrongPasswordIsRefusedWithAHint() throws Exception {
    Pem pem = Pem.parseOne(EncryptedKeyFile.encrypt(SECRET, "right".toCharArray()), "t");
    assertThatThrownBy(() -> EncryptedKeyFile.decrypt(pem.bytes(), "wrong".toCharArray(), "k.key"))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("k.key: wrong password")
        .hasMessageContaining("STRATA_PASSWORD");
  }

  @Test
  void scryptParametersCosignWouldRefuseAreRefused() {
    String json =
        "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":1024,\"r\":8,\"p\":1},\"salt\":\"AA==\"},"
            + "\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"AA==\"},\"ciphertext\":\"AA==\"}";
    assertThatThrownBy(
            () ->
                EncryptedKeyFile.decrypt(
                    json.getBytes(StandardCharsets.UTF_8), new char[0], "k.key"))
        .hasMessageContaining("unsupported scrypt parameters");
  }
}
