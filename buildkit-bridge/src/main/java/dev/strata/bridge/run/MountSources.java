package dev.strata.bridge.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the build supplies for {@code RUN --mount} sources: the roots bind mounts read from, the
 * {@code --secret} values and the ssh agent sockets. The engine implements it.
 */
public interface MountSources {
  /**
   * The directory a bind mount's {@code source} is relative to: the build context for {@code from}
   * empty, otherwise the rootfs of that stage or image.
   */
  Path bindRoot(String from) throws IOException;

  /** The bytes of secret {@code id} (from {@code --secret id=…,src=…|env=…}), if given. */
  Optional<byte[]> secret(String id);

  /** The agent socket for ssh {@code id} ({@code default} unless named), if given. */
  Optional<Path> sshSocket(String id);
}
