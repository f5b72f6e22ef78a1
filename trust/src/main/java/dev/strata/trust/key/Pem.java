package dev.strata.trust.key;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One PEM block: its type (the word after {@code BEGIN}) and its decoded bytes. */
public record Pem(String type, byte[] bytes) {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);

  public Pem {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Every PEM block in {@code text}; headers such as {@code Proc-Type} are not supported. */
  public static List<Pem> parseAll(String text, String where) throws KeyFileException {
    List<Pem> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String body = m.group(2).replaceAll("\\s", "");
      try {
        blocks.add(new Pem(m.group(1), Base64.getDecoder().decode(body)));
      } catch (IllegalArgumentException e) {
        throw new KeyFileException(
            where + ": the PEM block '" + m.group(1) + "' is not valid base64");
      }
    }
    if (blocks.isEmpty()) {
      throw new KeyFileException(where + ": no PEM block found (expected -----BEGIN ...-----)");
    }
    return blocks;
  }

  /** The single PEM block in {@code text}. */
  public static Pem parseOne(String text, String where) throws KeyFileException {
    List<Pem> blocks = parseAll(text, where);
    if (blocks.size() != 1) {
      throw new KeyFileException(
          where + ": expected one PEM block, found " + blocks.size() + " (one key per file)");
    }
    return blocks.get(0);
  }

  /** The PEM text: base64 wrapped at 64 columns, LF line ends, a final newline (as Go writes). */
  public String encode() {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(bytes);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  @Override
  public String toString() {
    return "Pem[" + type + ", " + bytes.length + " bytes]";
  }
}
