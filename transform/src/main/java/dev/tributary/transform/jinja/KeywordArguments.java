package dev.tributary.transform.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Jinjava reads {@code f(enabled=a and b)} as {@code (enabled=a) and b}: the keyword argument gets {@code a} and the
 * call a stray positional boolean, so {@code config(enabled=false and true)} left a model enabled. Python (and dbt's
 * Jinja) gives the keyword the whole expression. A keyword argument's value holding an operator is put in parentheses.
 */
final class KeywordArguments {
    private KeywordArguments() {}

    private static final Pattern DEFINITION = Pattern.compile("^\\{%-?\\s*(macro|test|materialization|snapshot)\\b");
    private static final Pattern OPERATOR = Pattern.compile("(^|[\\s)\\]'\"])(and|or|not|if|in|is)(?=[\\s(\\['\"]|$)|==|!=|<|>|\\bnot\\b");

    /** One Jinja expression or statement, delimiters included. */
    static String parenthesize(String expr) {
        if (expr.indexOf('=') < 0 || DEFINITION.matcher(expr).find()) return expr;
        List<int[]> wraps = new ArrayList<>();
        StringBuilder stack = new StringBuilder();
        char quote = 0;
        for (int i = 2; i < expr.length() - 2; i++) {
            char c = expr.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                stack.append(c);
            } else if ((c == ')' || c == ']' || c == '}') && !stack.isEmpty()) {
                stack.setLength(stack.length() - 1);
            } else if (c == '=' && !stack.isEmpty() && stack.charAt(stack.length() - 1) == '(' && expr.charAt(i + 1) != '='
                    && "=!<>".indexOf(expr.charAt(i - 1)) < 0 && followsName(expr, i)) {
                int end = valueEnd(expr, i + 1);
                String value = expr.substring(i + 1, end);
                if (OPERATOR.matcher(blankStrings(value)).find()) wraps.add(new int[] {i + 1, end});
            }
        }
        if (wraps.isEmpty()) return expr;
        StringBuilder out = new StringBuilder(expr.length() + 2 * wraps.size());
        int copied = 0;
        // positions, in order: each opening before its value, each closing after it (values may nest)
        List<int[]> marks = new ArrayList<>();
        for (int[] w : wraps) {
            marks.add(new int[] {w[0], 0});
            marks.add(new int[] {w[1], 1});
        }
        marks.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(b[1], a[1]));
        for (int[] m : marks) {
            out.append(expr, copied, m[0]).append(m[1] == 0 ? '(' : ')');
            copied = m[0];
        }
        return out.append(expr.substring(copied)).toString();
    }

    private static boolean followsName(String expr, int i) {
        int j = i - 1;
        while (j > 1 && Character.isWhitespace(expr.charAt(j))) j--;
        return Character.isLetterOrDigit(expr.charAt(j)) || expr.charAt(j) == '_';
    }

    /** Where a keyword argument's value starting at from ends: the next comma or closing bracket at its own depth. */
    private static int valueEnd(String expr, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < expr.length() - 2; i++) {
            char c = expr.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) return i;
                depth--;
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return expr.length() - 2;
    }

    /** The text with the insides of its string literals blanked, so operators inside strings are not seen. */
    private static String blankStrings(String value) {
        StringBuilder out = new StringBuilder(value.length());
        char quote = 0;
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                    out.append(c);
                } else {
                    out.append(' ');
                }
            } else {
                if (c == '\'' || c == '"') quote = c;
                // operators nested in brackets (a call's own arguments) are that call's business
                if (c == '(' || c == '[' || c == '{') depth++;
                out.append(depth > 0 && c != '(' && c != '[' && c != '{' ? ' ' : c);
                if ((c == ')' || c == ']' || c == '}') && depth > 0) depth--;
            }
        }
        return out.toString();
    }
}
