package dev.strata.trust.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * cosign's encrypted private key format (go-securesystemslib {@code encrypted}, as cosign 2.5 and
 * containers/image write it): PEM type {@code ENCRYPTED SIGSTORE PRIVATE KEY} around the JSON
 * {@code {"kdf":{scrypt N,r,p,salt},"cipher":{nacl/secretbox,nonce},"ciphertext"}}, where the
 * ciphertext is XSalsa20-Poly1305 of the PKCS#8 DER under {@code scrypt(password, salt)}.
 */
public final class EncryptedKeyFile {
  /** The PEM type cosign 2.x writes. */
  public static final String PEM_TYPE = "ENCRYPTED SIGSTORE PRIVATE KEY";

  /** The PEM type cosign 1.x wrote; still read. */
  public static final String LEGACY_PEM_TYPE = "ENCRYPTED COSIGN PRIVATE KEY";

  // cosign refuses every other scrypt cost on decrypt; 2^16 is what it writes.
  private static final Set<Integer> ACCEPTED_N = Set.of(1 << 15, 1 << 16, 1 << 17);
  private static final int N = 1 << 16;
  private static final int R = 8;
  private static final int P = 1;
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 24;
  private static final int TAG_BYTES = 16;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private EncryptedKeyFile() {}

  /** Encrypts PKCS#8 DER into the PEM text of a cosign key file. */
  public static String encrypt(byte[] pkcs8, char[] password) {
    byte[] salt = random(32);
    byte[] nonce = random(NONCE_BYTES);
    byte[] key = scrypt(password, salt, N, R, P);
    try {
      byte[] sealed = secretbox(key, nonce, pkcs8, true);
      ObjectNode root = JSON.createObjectNode();
      ObjectNode kdf = root.putObject("kdf");
      kdf.put("name", "scrypt");
      kdf.putObject("params").put("N", N).put("r", R).put("p", P);
      kdf.put("salt", b64(salt));
      root.putObject("cipher").put("name", "nacl/secretbox").put("nonce", b64(nonce));
      root.put("ciphertext", b64(sealed));
      return new Pem(PEM_TYPE, JSON.writeValueAsBytes(root)).encode();
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always renders", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Decrypts the body of a cosign key file's PEM block into PKCS#8 DER. */
  public static byte[] decrypt(byte[] pemBody, char[] password, String where)
      throws KeyFileException {
    JsonNode root;
    try {
      root = JSON.readTree(pemBody);
    } catch (IOException e) {
      throw new KeyFileException(where + ": the encrypted key is not cosign's JSON format");
    }
    JsonNode kdf = root.path("kdf");
    JsonNode params = kdf.path("params");
    if (!"scrypt".equals(kdf.path("name").asText())
        || !"nacl/secretbox".equals(root.path("cipher").path("name").asText())) {
      throw new KeyFileException(
          where + ": unsupported key encryption (expected scrypt with nacl/secretbox)");
    }
    int n = params.path("N").asInt();
    if (!ACCEPTED_N.contains(n) || params.path("r").asInt() != R || params.path("p").asInt() != P) {
      throw new KeyFileException(
          where + ": unsupported scrypt parameters (cosign's are N=2^15..2^17, r=8, p=1)");
    }
    byte[] salt = unb64(kdf.path("salt"), where);
    byte[] nonce = unb64(root.path("cipher").path("nonce"), where);
    byte[] sealed = unb64(root.path("ciphertext"), where);
    if (nonce.length != NONCE_BYTES || sealed.length < TAG_BYTES) {
      throw new KeyFileException(where + ": the encrypted key is truncated");
    }
    byte[] key = scrypt(password, salt, n, R, P);
    try {
      byte[] plain = secretbox(key, nonce, sealed, false);
      if (plain == null) {
        throw new KeyFileException(
            where
                + ": wrong password, or the key file is damaged (set STRATA_PASSWORD or"
                + " COSIGN_PASSWORD to the password the key was made with)");
      }
      return plain;
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** NaCl secretbox: {@code tag(16) || ciphertext}; {@code null} when the tag does not match. */
  private static byte[] secretbox(byte[] key, byte[] nonce, byte[] input, boolean seal) {
    XSalsa20Engine cipher = new XSalsa20Engine();
    cipher.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
    byte[] macKey = new byte[32];
    cipher.processBytes(new byte[32], 0, 32, macKey, 0);
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(macKey));
    try {
      if (seal) {
        byte[] out = new byte[TAG_BYTES + input.length];
        cipher.processBytes(input, 0, input.length, out, TAG_BYTES);
        mac.update(out, TAG_BYTES, input.length);
        mac.doFinal(out, 0);
        return out;
      }
      int length = input.length - TAG_BYTES;
      mac.update(input, TAG_BYTES, length);
      byte[] tag = new byte[TAG_BYTES];
      mac.doFinal(tag, 0);
      if (!MessageDigest.isEqual(tag, Arrays.copyOf(input, TAG_BYTES))) {
        return null;
      }
      byte[] out = new byte[length];
      cipher.processBytes(input, TAG_BYTES, length, out, 0);
      return out;
    } finally {
      Arrays.fill(macKey, (byte) 0);
    }
  }

  private static byte[] scrypt(char[] password, byte[] salt, int n, int r, int p) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    try {
      return SCrypt.generate(bytes, salt, n, r, p, KEY_BYTES);
    } finally {
      Arrays.fill(bytes, (byte) 0);
      if (encoded.hasArray()) {
        Arrays.fill(encoded.array(), (byte) 0);
      }
    }
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] unb64(JsonNode node, String where) throws KeyFileException {
    try {
      return Base64.getDecoder().decode(node.asText());
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(where + ": the encrypted key holds invalid base64");
    }
  }
}
