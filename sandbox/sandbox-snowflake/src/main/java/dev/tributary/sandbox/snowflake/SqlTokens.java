package dev.tributary.sandbox.snowflake;

import java.util.ArrayList;
import java.util.List;

/** Splits Snowflake SQL into tokens: words, "quoted" identifiers, string literals (decoded), numbers, symbols, space. */
final class SqlTokens {
    enum Kind { WORD, QUOTED, STRING, NUMBER, SYMBOL, SPACE }

    /** A token; for STRING, text is the decoded value, for QUOTED the identifier without quotes. */
    record Token(Kind kind, String text) {
        boolean is(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean isSymbol(String s) {
            return kind == Kind.SYMBOL && text.equals(s);
        }
    }

    private SqlTokens() {}

    static List<Token> tokenize(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                int j = i;
                while (j < n && Character.isWhitespace(sql.charAt(j))) j++;
                out.add(new Token(Kind.SPACE, " "));
                i = j;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-' || c == '/' && i + 1 < n && sql.charAt(i + 1) == '/') {
                int j = sql.indexOf('\n', i);
                i = j < 0 ? n : j;
                out.add(new Token(Kind.SPACE, " "));
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int j = sql.indexOf("*/", i + 2);
                if (j < 0) throw SnowflakeError.syntax("unterminated comment at position " + i);
                i = j + 2;
                out.add(new Token(Kind.SPACE, " "));
            } else if (c == '\'') {
                StringBuilder v = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= n) throw SnowflakeError.syntax("unterminated string literal at position " + i);
                    char d = sql.charAt(j);
                    if (d == '\'' && j + 1 < n && sql.charAt(j + 1) == '\'') {
                        v.append('\'');
                        j += 2;
                    } else if (d == '\'') {
                        j++;
                        break;
                    } else if (d == '\\' && j + 1 < n) {
                        char e = sql.charAt(j + 1);
                        v.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            case '0' -> '\0';
                            case 'b' -> '\b';
                            case 'f' -> '\f';
                            default -> e;
                        });
                        j += 2;
                    } else {
                        v.append(d);
                        j++;
                    }
                }
                out.add(new Token(Kind.STRING, v.toString()));
                i = j;
            } else if (c == '$' && i + 1 < n && sql.charAt(i + 1) == '$') {
                int j = sql.indexOf("$$", i + 2);
                if (j < 0) throw SnowflakeError.syntax("unterminated $$ string at position " + i);
                out.add(new Token(Kind.STRING, sql.substring(i + 2, j)));
                i = j + 2;
            } else if (c == '"') {
                StringBuilder v = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= n) throw SnowflakeError.syntax("unterminated quoted identifier at position " + i);
                    char d = sql.charAt(j);
                    if (d == '"' && j + 1 < n && sql.charAt(j + 1) == '"') {
                        v.append('"');
                        j += 2;
                    } else if (d == '"') {
                        j++;
                        break;
                    } else {
                        v.append(d);
                        j++;
                    }
                }
                out.add(new Token(Kind.QUOTED, v.toString()));
                i = j;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$')) j++;
                out.add(new Token(Kind.WORD, sql.substring(i, j)));
                i = j;
            } else if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '.'
                        || (sql.charAt(j) == '+' || sql.charAt(j) == '-') && (sql.charAt(j - 1) == 'e' || sql.charAt(j - 1) == 'E'))) j++;
                out.add(new Token(Kind.NUMBER, sql.substring(i, j)));
                i = j;
            } else {
                String two = i + 1 < n ? sql.substring(i, i + 2) : "";
                if (two.equals("::") || two.equals("<=") || two.equals(">=") || two.equals("<>") || two.equals("!=") || two.equals("||")
                        || two.equals("->") || two.equals("=>")) {
                    out.add(new Token(Kind.SYMBOL, two));
                    i += 2;
                } else {
                    out.add(new Token(Kind.SYMBOL, String.valueOf(c)));
                    i++;
                }
            }
        }
        return out;
    }

    /** The tokens without spaces (for parsing commands). */
    static List<Token> significant(List<Token> tokens) {
        return tokens.stream().filter(t -> t.kind() != Kind.SPACE).toList();
    }
}
