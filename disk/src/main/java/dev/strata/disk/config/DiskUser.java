package dev.strata.disk.config;

import java.util.List;
import java.util.Optional;

/**
 * A user to create or update in the disk image ({@code [[customizations.user]]}): a name, a
 * password (plain or already a crypt hash), an SSH public key and supplementary groups. The
 * password and key never appear in {@link #toString()}, so logging a config cannot leak them.
 */
public record DiskUser(
    String name, Optional<String> password, Optional<String> key, List<String> groups) {
  public DiskUser {
    groups = List.copyOf(groups);
    if (!name.matches("[a-z_][a-z0-9_-]*\\$?") || name.length() > 32) {
      throw new IllegalArgumentException(
          "user name '"
              + name
              + "' is not a valid login name (lower case letters, digits, _ and -)");
    }
    for (String group : groups) {
      if (!group.matches("[a-z_][a-z0-9_-]*")) {
        throw new IllegalArgumentException(
            "group '" + group + "' of user " + name + " is not a valid group name");
      }
    }
  }

  /** Whether {@link #password()} is already a crypt(3) hash ({@code $6$…}, {@code $y$…}). */
  public boolean passwordIsHashed() {
    return password.map(p -> p.startsWith("$") || p.equals("!") || p.equals("*")).orElse(false);
  }

  @Override
  public String toString() {
    return "DiskUser[name="
        + name
        + ", password="
        + (password.isPresent() ? "<redacted>" : "none")
        + ", key="
        + (key.isPresent() ? "<redacted>" : "none")
        + ", groups="
        + groups
        + "]";
  }
}
