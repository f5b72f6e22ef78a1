package dev.strata.disk.kickstart;

import dev.strata.disk.build.PasswordHash;
import dev.strata.disk.config.DiskConfig;
import dev.strata.disk.config.DiskUser;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * An Anaconda kickstart that installs a pushed bootc image by digest ({@code ostreecontainer --url
 * REGISTRY/REPO@sha256:…}), so every machine installed from it gets exactly the image that was
 * built and signed, never whatever a tag points at later. Users from the config become {@code user}
 * (crypted password) and {@code sshkey} lines; the kernel append goes on {@code bootloader}.
 */
public final class Kickstart {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private Kickstart() {}

  /**
   * The kickstart for {@code repository} (with its registry, no tag) at {@code digest}. Throws
   * {@link IllegalArgumentException} when the repository names no registry the installer could pull
   * from.
   */
  public static String render(String repository, String digest, DiskConfig config)
      throws IOException {
    if (!DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException("'" + digest + "' is not a sha256 digest");
    }
    int slash = repository.indexOf('/');
    String first = slash < 0 ? "" : repository.substring(0, slash);
    if (!(first.contains(".") || first.contains(":") || first.equals("localhost"))) {
      throw new IllegalArgumentException(
          "'"
              + repository
              + "' names no registry, so an installer cannot pull it; set 'registry:' in"
              + " strata.yaml and push the image (strata build --push), or give a REF with a"
              + " registry host");
    }
    StringBuilder ks = new StringBuilder();
    ks.append("# Installs ")
        .append(repository)
        .append('@')
        .append(digest)
        .append(" (strata kickstart)\n");
    ks.append("text --non-interactive\n");
    ks.append("network --bootproto=dhcp --device=link --activate --onboot=on\n");
    ks.append("zerombr\n");
    ks.append("clearpart --all --initlabel --disklabel=gpt\n");
    ks.append("autopart --noswap --type=plain\n");
    ks.append("ostreecontainer --url=")
        .append(repository)
        .append('@')
        .append(digest)
        .append(" --transport=registry\n");
    config
        .kernelAppend()
        .ifPresent(
            a -> ks.append("bootloader --append=\"").append(a.replace("\"", "")).append("\"\n"));
    boolean rootSet = false;
    for (DiskUser user : config.users()) {
      String hash = null;
      if (user.password().isPresent()) {
        hash =
            user.passwordIsHashed()
                ? user.password().get()
                : PasswordHash.sha512Crypt(user.password().get());
      }
      if (user.name().equals("root")) {
        rootSet = true;
        ks.append(hash == null ? "rootpw --lock\n" : "rootpw --iscrypted " + hash + "\n");
      } else {
        ks.append("user --name=").append(user.name());
        if (!user.groups().isEmpty()) {
          ks.append(" --groups=").append(String.join(",", user.groups()));
        }
        if (hash != null) {
          ks.append(" --iscrypted --password=").append(hash);
        }
        ks.append('\n');
      }
      if (user.key().isPresent()) {
        ks.append("sshkey --username=")
            .append(user.name())
            .append(" \"")
            .append(user.key().get().strip().replace("\"", ""))
            .append("\"\n");
      }
    }
    if (!rootSet) {
      ks.append("rootpw --lock\n");
    }
    ks.append("reboot\n");
    return ks.toString();
  }
}
