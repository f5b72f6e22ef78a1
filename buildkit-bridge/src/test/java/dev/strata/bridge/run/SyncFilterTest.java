package dev.strata.bridge.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class SyncFilterTest {
  /**
   * Runs the classic BPF program the way the kernel does for the few instructions it uses, on a
   * {@code struct seccomp_data} of (nr, arch).
   */
  private static int verdict(byte[] program, int nr, int arch) {
    ByteBuffer p = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
    int pc = 0;
    int acc = 0;
    while (true) {
      short code = p.getShort(pc * 8);
      int jt = p.get(pc * 8 + 2) & 0xff;
      int jf = p.get(pc * 8 + 3) & 0xff;
      int k = p.getInt(pc * 8 + 4);
      switch (code) {
        case 0x20 -> acc = k == 0 ? nr : k == 4 ? arch : fail("load of offset " + k);
        case 0x15 -> pc += acc == k ? jt : jf;
        case 0x06 -> {
          return k;
        }
        default -> fail("instruction " + code);
      }
      pc++;
    }
  }

  private static int fail(String what) {
    throw new AssertionError("unexpected " + what);
  }

  private static final int X86_64 = 0xC000003E;
  private static final int ALLOW = 0x7fff0000;
  private static final int SUCCEED = 0x00050000;

  @Test
  void flushCallsOfTheNativeAbiSucceedAndEveryOtherCallIsAllowed() {
    byte[] program = SyncFilter.bpfProgram("amd64").orElseThrow();
    // fsync, fdatasync, sync, syncfs, sync_file_range, msync
    for (int nr : new int[] {74, 75, 162, 306, 277, 26}) {
      assertThat(verdict(program, nr, X86_64)).as("call %d", nr).isEqualTo(SUCCEED);
    }
    // read, write, openat, renameat2, fallocate
    for (int nr : new int[] {0, 1, 257, 316, 285}) {
      assertThat(verdict(program, nr, X86_64)).as("call %d", nr).isEqualTo(ALLOW);
    }
    // i386's fsync (118) under its own ABI is left alone.
    assertThat(verdict(program, 118, 0x40000003)).isEqualTo(ALLOW);
  }

  @Test
  void anUnknownArchitectureGetsNoProgram() {
    assertThat(SyncFilter.bpfProgram("riscv64")).isEmpty();
    assertThat(SyncFilter.bpfProgram("aarch64")).isPresent();
  }
}
