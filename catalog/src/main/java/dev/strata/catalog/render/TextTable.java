package dev.strata.catalog.render;

import java.util.ArrayList;
import java.util.List;

/**
 * A left-aligned text table that fits a width: columns take what they need, and when the total is
 * too wide the last column, then the widest ones, are cut with an ellipsis.
 */
final class TextTable {
  private static final int GAP = 2;
  private final String[] headers;
  private final List<String[]> rows = new ArrayList<>();

  TextTable(String... headers) {
    this.headers = headers;
  }

  void row(String... cells) {
    rows.add(cells);
  }

  String render(int width, int indent) {
    int n = headers.length;
    int[] widths = new int[n];
    for (int i = 0; i < n; i++) {
      widths[i] = headers[i].length();
      for (String[] row : rows) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    int available = width - indent - GAP * (n - 1);
    while (sum(widths) > available) {
      int widest = 0;
      for (int i = 1; i < n; i++) {
        if (widths[i] >= widths[widest]) {
          widest = i;
        }
      }
      if (widths[widest] <= headers[widest].length() + 1) {
        break;
      }
      widths[widest]--;
    }
    StringBuilder out = new StringBuilder();
    line(out, headers, widths, indent);
    for (String[] row : rows) {
      line(out, row, widths, indent);
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String[] cells, int[] widths, int indent) {
    StringBuilder line = new StringBuilder(" ".repeat(indent));
    for (int i = 0; i < cells.length; i++) {
      String cell =
          cells[i].length() > widths[i] ? cells[i].substring(0, widths[i] - 1) + "…" : cells[i];
      line.append(cell);
      if (i < cells.length - 1) {
        line.append(" ".repeat(widths[i] - cell.length() + GAP));
      }
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }

  private static int sum(int[] values) {
    int total = 0;
    for (int v : values) {
      total += v;
    }
    return total;
  }
}
