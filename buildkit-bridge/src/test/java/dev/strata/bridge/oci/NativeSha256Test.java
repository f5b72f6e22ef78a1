package dev.strata.bridge.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NativeSha256Test {
  private static final HexFormat HEX = HexFormat.of();

  private static MessageDigest jdk() throws Exception {
    return MessageDigest.getInstance("SHA-256", "SUN");
  }

  @Test
  void libcryptoIsAvailableOnTheBuildMachine() {
    // the setup script installs openssl; without libcrypto every build hashes at C1 speed
    assertThat(NativeSha256.unavailable()).isEmpty();
  }

  @Test
  void knownAnswerForAbc() {
    NativeSha256 sha = new NativeSha256();
    sha.engineUpdate("abc".getBytes(), 0, 3);
    assertThat(HEX.formatHex(sha.engineDigest()))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void emptyInputHashesAsTheJdkDoes() throws Exception {
    assertThat(new NativeSha256().engineDigest()).isEqualTo(jdk().digest());
  }

  @Test
  void anySplitOfTheInputGivesTheJdkDigest() throws Exception {
    Random random = new Random(7);
    byte[] data = new byte[(1 << 20) + 12345];
    random.nextBytes(data);
    for (int chunk : new int[] {1, 511, 65536, 65537, 300_000, data.length}) {
      NativeSha256 sha = new NativeSha256();
      for (int off = 0; off < data.length; off += chunk) {
        int n = Math.min(chunk, data.length - off);
        if (n == 1) {
          sha.engineUpdate(data[off]);
        } else {
          sha.engineUpdate(data, off, n);
        }
      }
      assertThat(sha.engineDigest()).as("chunk %d", chunk).isEqualTo(jdk().digest(data));
    }
  }

  @Test
  void directAndHeapBuffersFromTheirPosition() throws Exception {
    byte[] data = new byte[200_000];
    new Random(3).nextBytes(data);
    ByteBuffer direct = ByteBuffer.allocateDirect(data.length + 10);
    direct.position(10);
    direct.put(data);
    direct.position(10);
    NativeSha256 sha = new NativeSha256();
    sha.engineUpdate(ByteBuffer.wrap(data, 0, 5));
    sha.engineUpdate(direct);
    MessageDigest expected = jdk();
    expected.update(data, 0, 5);
    expected.update(data);
    assertThat(direct.hasRemaining()).isFalse();
    assertThat(sha.engineDigest()).isEqualTo(expected.digest());
  }

  @Test
  void digestResetsForTheNextMessage() throws Exception {
    NativeSha256 sha = new NativeSha256();
    sha.engineUpdate("first".getBytes(), 0, 5);
    sha.engineDigest();
    sha.engineUpdate("abc".getBytes(), 0, 3);
    assertThat(sha.engineDigest()).isEqualTo(jdk().digest("abc".getBytes()));
  }

  @Test
  void aCloneContinuesIndependently() throws Exception {
    MessageDigest original = MessageDigest.getInstance("SHA-256", installed());
    original.update("shared prefix ".getBytes());
    MessageDigest copy = (MessageDigest) original.clone();
    original.update("one".getBytes());
    copy.update("two".getBytes());
    assertThat(original.digest()).isEqualTo(jdk().digest("shared prefix one".getBytes()));
    assertThat(copy.digest()).isEqualTo(jdk().digest("shared prefix two".getBytes()));
  }

  @Test
  void installedProviderServesEveryGetInstance() throws Exception {
    installed();
    assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName())
        .isEqualTo("StrataLibcrypto");
    assertThat(Digest.sha256("abc").hex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  private static java.security.Provider installed() {
    assertThat(Sha256Provider.install()).isTrue();
    return java.security.Security.getProvider("StrataLibcrypto");
  }
}
