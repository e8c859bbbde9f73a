/*
 * The grammar of .nn files (the language: docs/language.md). The generated parser lives in package nnc.grammar
 * (derived from this file's directory); nnc.syntax.AstBuilder turns its parse trees into nnc.syntax.Ast.
 *
 * Design rules:
 *  - Newlines mean nothing: every statement starts with a keyword or with `NAME =`, and no
 *    expression can be continued by a name, so `input x: f32[batch, 4]  target y: f32[batch, 1]`
 *    on one line is two statements.
 *  - Every decision is LL(1) (besides operator precedence), so a syntax error is always reported at
 *    the token where the input stops making sense, with the set of tokens that would have fit.
 *  - Parentheses hold an argument list: `(x)` is a parenthesised expression, and a train setting
 *    `early_stopping(patience = 3)` is a key followed by such a list. AstBuilder rejects the other
 *    shapes (`(a, b)`, `(n = 1)`) where an expression is expected.
 */
grammar Nn;

program   : topDecl* EOF ;

topDecl   : modelDecl
          | fnDecl
          | trainBlock
          ;

modelDecl : MODEL name=ID LBRACE stmt* RBRACE ;

/* User functions (DSL.md §7): typed parameters (`z: f32[batch, d]`, `heads: int`), bindings, one return. */
fnDecl    : FN name=ID LPAREN (fnParam (COMMA fnParam)*)? RPAREN (ARROW result=typeExpr)?
            LBRACE stmt* RETURN value=expr RBRACE ;
fnParam   : name=ID COLON fnParamType ;
fnParamType : dtype=ID (LBRACK (dim (COMMA dim)*)? RBRACK)? ;

trainBlock : TRAIN LBRACE setting* RBRACE ;

/* `batch 10`, `data circles(n = 1000)`, `early_stopping(patience = 3)` (value: an argument list). */
setting   : key=ID value=expr ;

stmt      : kind=(INPUT | TARGET) name=ID COLON typeExpr          # inputStmt
          | PARAM name=ID COLON typeExpr (ASSIGN init=expr)?       # paramStmt
          | OUTPUT? name=ID ASSIGN value=expr                      # letStmt
          | LOSS ASSIGN? value=expr                                # lossStmt
          | METRIC ASSIGN? value=expr                              # metricStmt
          ;

typeExpr  : dtype=ID LBRACK (dim (COMMA dim)*)? RBRACK ;
dim       : NUMBER | ID ;

/* Earlier alternatives bind tighter: indexing x[...], ^ (right-associative), unary minus, * / @, + -, comparisons. */
expr      : expr LBRACK index (COMMA index)* RBRACK                # indexExpr
          | <assoc=right> expr op=CARET expr                      # powerExpr
          | op=MINUS expr                                          # negateExpr
          | expr op=(STAR | SLASH | AT) expr                       # mulExpr
          | expr op=(PLUS | MINUS) expr                            # addExpr
          | expr op=(GT | GE | LT | LE | EQ) expr                  # compareExpr
          | NUMBER                                                 # numberExpr
          | STRING                                                 # stringExpr
          | name=ID (LPAREN argList? RPAREN)?                      # nameOrCallExpr
          | LPAREN argList? RPAREN                                 # parenExpr
          | SCAN (carry=ID | LPAREN carries+=ID (COMMA carries+=ID)+ RPAREN) ASSIGN init=expr
            OVER elem=ID IN seq=expr LBRACE stmt* RBRACE                # scanExpr
          ;

argList   : arg (COMMA arg)* ;
/* One axis of x[...]: `...`, an index `i`, or a slice `start:stop:step` with each part optional. */
index     : ELLIPSIS
          | at=expr sliceRest?
          | sliceRest
          ;
sliceRest : COLON stop=expr? (COLON step=expr?)? ;
/* `expr` or `name = expr`; AstBuilder checks that the left side of `=` is a plain name. The keyword
   `loss` may stand as a value there, for `early_stopping(monitor = loss)`. */
arg       : first=expr (ASSIGN (second=expr | lossWord=LOSS))? ;

// ---------------------------------------------------------------- lexer

MODEL  : 'model' ;
FN     : 'fn' ;
TRAIN  : 'train' ;
INPUT  : 'input' ;
TARGET : 'target' ;
PARAM  : 'param' ;
OUTPUT : 'output' ;
LOSS   : 'loss' ;
METRIC : 'metric' ;
RETURN : 'return' ;
SCAN   : 'scan' ;
OVER   : 'over' ;
IN     : 'in' ;

LPAREN : '(' ;
RPAREN : ')' ;
LBRACK : '[' ;
RBRACK : ']' ;
LBRACE : '{' ;
RBRACE : '}' ;
COMMA  : ',' ;
COLON  : ':' ;
ELLIPSIS : '...' ;
ARROW  : '->' ;
EQ     : '==' ;
GE     : '>=' ;
LE     : '<=' ;
GT     : '>' ;
LT     : '<' ;
ASSIGN : '=' ;
PLUS   : '+' ;
MINUS  : '-' ;
STAR   : '*' ;
SLASH  : '/' ;
AT     : '@' ;
CARET  : '^' ;

NUMBER : DIGITS ('.' DIGITS?)? EXPONENT?
       | '.' DIGITS EXPONENT?
       ;
fragment DIGITS   : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;

/* Dotted names (`h1.W`) are one token: parameters created by layer calls. */
ID     : NAME_PART ('.' NAME_PART)* ;
fragment NAME_PART : [a-zA-Z_] [a-zA-Z0-9_]* ;

STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n\f\uFEFF]+ -> skip ;

/* The lexer never fails: these tokens reach the parser front end, which reports them clearly. */
UNTERMINATED_COMMENT : '/*' (~'*' | '*'+ ~[*/])* '*'* EOF ;
UNTERMINATED_STRING  : '"' (~["\\\r\n] | '\\' ~[\r\n])* ;
BAD_CHAR             : . ;
