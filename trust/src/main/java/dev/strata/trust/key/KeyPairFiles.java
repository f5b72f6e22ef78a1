package dev.strata.trust.key;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * The two files {@code strata keygen} writes, like {@code cosign generate-key-pair}: {@code
 * NAME.key} (encrypted, mode 0600) and {@code NAME.pub} (PEM). Existing files are never
 * overwritten.
 */
public record KeyPairFiles(Path privateKeyFile, Path publicKeyFile) {

  /**
   * The files for {@code prefix} (e.g. {@code cosign} or {@code keys/release}) under {@code dir}.
   */
  public static KeyPairFiles of(Path dir, String prefix) {
    return new KeyPairFiles(dir.resolve(prefix + ".key"), dir.resolve(prefix + ".pub"));
  }

  /** Generates a key pair and writes both files, asking {@code passwords} for the password. */
  public SigningKey generate(PasswordSource passwords) throws IOException {
    for (Path file : new Path[] {privateKeyFile, publicKeyFile}) {
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(
            file.toString(), null, "refusing to overwrite; move it away or pick another prefix");
      }
    }
    SigningKey key = SigningKey.generate();
    char[] password = passwords.password("Enter password for private key: ", true);
    String encrypted;
    try {
      encrypted = key.encryptedPem(password);
    } finally {
      Arrays.fill(password, '\0');
    }
    Path parent = privateKeyFile.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.writeString(
        Files.createFile(
            privateKeyFile,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
        encrypted,
        StandardCharsets.US_ASCII,
        StandardOpenOption.WRITE);
    Files.writeString(
        publicKeyFile,
        key.publicKey().pem(),
        StandardCharsets.US_ASCII,
        StandardOpenOption.CREATE_NEW);
    return key;
  }
}
