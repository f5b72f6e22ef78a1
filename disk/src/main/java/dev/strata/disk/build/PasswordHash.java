package dev.strata.disk.build;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * SHA-512 crypt(3) hashes for /etc/shadow, made by {@code openssl passwd -6} with the password on
 * stdin, so it never appears in a process listing.
 */
public final class PasswordHash {
  private PasswordHash() {}

  public static String sha512Crypt(String password) throws DiskBuildException {
    if (password.contains("\n")) {
      throw new DiskBuildException("a user's password contains a line break; it cannot be hashed");
    }
    String hash =
        HostTool.OPENSSL
            .run(
                List.of("passwd", "-6", "-stdin"),
                (password + "\n").getBytes(StandardCharsets.UTF_8),
                Map.of())
            .strip();
    if (!hash.startsWith("$6$")) {
      throw new DiskBuildException("openssl passwd -6 did not return a SHA-512 crypt hash");
    }
    return hash;
  }
}
