package nnc.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import nnc.grammar.NnLexer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Words for syntax errors: what the parser expected (a set of token types, folded into "a statement"
 * or "an expression" where a whole group fits) and what it found.
 */
final class ExpectedTokens {
    private ExpectedTokens() {}

    static final Set<Integer> STATEMENT_START = Set.of(NnLexer.INPUT, NnLexer.TARGET, NnLexer.PARAM, NnLexer.OUTPUT,
            NnLexer.LOSS, NnLexer.METRIC);
    static final Set<Integer> EXPRESSION_START = Set.of(NnLexer.NUMBER, NnLexer.STRING, NnLexer.ID, NnLexer.LPAREN,
            NnLexer.MINUS, NnLexer.SCAN);
    static final Set<Integer> BINARY_OPERATORS = Set.of(NnLexer.PLUS, NnLexer.MINUS, NnLexer.STAR, NnLexer.SLASH,
            NnLexer.AT, NnLexer.CARET, NnLexer.GT, NnLexer.GE, NnLexer.LT, NnLexer.LE, NnLexer.EQ);
    static final Set<Integer> TOP_LEVEL_START = Set.of(NnLexer.MODEL, NnLexer.FN, NnLexer.TRAIN);

    /** "a statement or '}'", "',' or ')'", "an expression". */
    static String describe(IntervalSet expected) {
        Set<Integer> rest = new TreeSet<>(expected.toList());
        List<String> words = new ArrayList<>();
        if (rest.containsAll(STATEMENT_START)) {
            words.add("a statement");
            rest.removeAll(STATEMENT_START);
            rest.remove(NnLexer.ID);
        }
        if (rest.contains(NnLexer.NUMBER) && rest.contains(NnLexer.ID) && rest.contains(NnLexer.LPAREN)) {
            words.add("an expression");
            rest.removeAll(EXPRESSION_START);
        }
        boolean onlyOperators = !rest.isEmpty() && BINARY_OPERATORS.containsAll(rest) && words.isEmpty();
        if (onlyOperators) {
            words.add("an operator");
            rest.clear();
        } else {
            rest.removeAll(BINARY_OPERATORS);
        }
        if (rest.remove(NnLexer.COMMA)) words.add(tokenType(NnLexer.COMMA));
        for (int type : rest) if (type != Token.EOF) words.add(tokenType(type));
        if (rest.contains(Token.EOF)) words.add(tokenType(Token.EOF));
        return joinAlternatives(words);
    }

    static boolean isKeyword(int type) { return type >= NnLexer.MODEL && type <= NnLexer.IN; }

    /** The name of a token type as the user would write it. */
    static String tokenType(int type) {
        return switch (type) {
            case Token.EOF -> "end of file";
            case NnLexer.ID -> "a name";
            case NnLexer.NUMBER -> "a number";
            case NnLexer.STRING -> "a string";
            default -> {
                Vocabulary v = NnLexer.VOCABULARY;
                String literal = v.getLiteralName(type);
                yield literal != null ? literal : v.getDisplayName(type);
            }
        };
    }

    /** A token as found in the input: {@code 'loss'}, {@code "data.csv"}, {@code end of file}. */
    static String found(Token t) {
        if (t.getType() == Token.EOF) return "end of file";
        String text = t.getText();
        if (text.length() > 24) text = text.substring(0, 21) + "...";
        return t.getType() == NnLexer.STRING ? text : "'" + text + "'";
    }

    static String joinAlternatives(List<String> words) {
        if (words.isEmpty()) return "nothing";
        if (words.size() == 1) return words.get(0);
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }
}
