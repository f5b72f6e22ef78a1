package dev.strata.bridge.run;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A seccomp filter under which a RUN's flushes to disk ({@code fsync}, {@code fdatasync}, {@code
 * sync}, {@code syncfs}, {@code sync_file_range}, {@code msync}) return success at once, as
 * eatmydata does for a single program.
 *
 * <p>Package managers flush every file they unpack (dpkg syncs each one before its rename; apt and
 * rpm sync their databases), which a build does not need: the RUN's files become a layer read from
 * the page cache, and a RUN that is killed is thrown away whole. Where a flush takes milliseconds
 * (disks that honour them), thousands of them cost seconds per RUN; on this project's VM a flush
 * takes ~0.13 ms and bench/compare shows no measurable change. File contents, and so every layer,
 * are the same with or without the filter. A call that would fail (a flush of a pipe or a {@code
 * /proc} file, {@code EINVAL}) succeeds too; nothing in a build depends on that failure.
 *
 * <p>runc and crun take the filter as the spec's {@code linux.seccomp}; bubblewrap as a compiled
 * classic BPF program on a file descriptor. The chroot runtime has no way to install one and runs
 * the flushes.
 */
final class SyncFilter {
  /** The calls that only flush data already written. */
  static final List<String> CALLS =
      List.of("fsync", "fdatasync", "sync", "syncfs", "sync_file_range", "msync");

  // <linux/audit.h>: AUDIT_ARCH_X86_64 and AUDIT_ARCH_AARCH64.
  private static final int AUDIT_ARCH_X86_64 = 0xC000003E;
  private static final int AUDIT_ARCH_AARCH64 = 0xC00000B7;
  // The calls' numbers, in CALLS' order, from each architecture's unistd.h.
  private static final int[] X86_64_NUMBERS = {74, 75, 162, 306, 277, 26};
  private static final int[] AARCH64_NUMBERS = {82, 83, 81, 267, 84, 227};

  // <linux/filter.h> and <linux/seccomp.h>.
  private static final short LD_W_ABS = 0x20; // BPF_LD | BPF_W | BPF_ABS
  private static final short JEQ_K = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
  private static final short RET_K = 0x06; // BPF_RET | BPF_K
  private static final int RET_ALLOW = 0x7fff0000; // SECCOMP_RET_ALLOW
  private static final int RET_ERRNO_0 = 0x00050000; // SECCOMP_RET_ERRNO with errno 0: success
  private static final int OFFSET_NR = 0; // struct seccomp_data.nr
  private static final int OFFSET_ARCH = 4; // struct seccomp_data.arch

  private SyncFilter() {}

  /** The filter as an OCI runtime spec's {@code linux.seccomp} (the host's native ABI). */
  static Map<String, Object> ociSeccomp() {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("names", CALLS);
    rule.put("action", "SCMP_ACT_ERRNO");
    rule.put("errnoRet", 0);
    Map<String, Object> seccomp = new LinkedHashMap<>();
    seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
    seccomp.put("syscalls", List.of(rule));
    return seccomp;
  }

  /**
   * The filter as the {@code struct sock_filter} array bubblewrap's {@code --seccomp FD} reads, for
   * the JVM's architecture ({@code os.arch}); empty on an architecture this class does not know.
   * Calls from another ABI (32-bit, x32) are allowed and flush as usual.
   */
  static Optional<byte[]> bpfProgram(String osArch) {
    int arch;
    int[] numbers;
    switch (osArch) {
      case "amd64", "x86_64" -> {
        arch = AUDIT_ARCH_X86_64;
        numbers = X86_64_NUMBERS;
      }
      case "aarch64", "arm64" -> {
        arch = AUDIT_ARCH_AARCH64;
        numbers = AARCH64_NUMBERS;
      }
      default -> {
        return Optional.empty();
      }
    }
    int n = numbers.length;
    // 0: load arch; 1: another ABI jumps to "allow"; 2: load the call's number; 3 .. 2+n: one test
    // per call, a match jumps to "success"; 3+n: allow; 4+n: success. A jump's offset counts from
    // the next instruction.
    int allow = 3 + n;
    int success = 4 + n;
    ByteBuffer program = ByteBuffer.allocate((5 + n) * 8).order(ByteOrder.nativeOrder());
    instruction(program, LD_W_ABS, 0, 0, OFFSET_ARCH);
    instruction(program, JEQ_K, 0, allow - 2, arch);
    instruction(program, LD_W_ABS, 0, 0, OFFSET_NR);
    for (int i = 0; i < n; i++) {
      instruction(program, JEQ_K, success - (3 + i) - 1, 0, numbers[i]);
    }
    instruction(program, RET_K, 0, 0, RET_ALLOW);
    instruction(program, RET_K, 0, 0, RET_ERRNO_0);
    return Optional.of(program.array());
  }

  private static void instruction(ByteBuffer program, short code, int jt, int jf, int k) {
    program.putShort(code).put((byte) jt).put((byte) jf).putInt(k);
  }
}
