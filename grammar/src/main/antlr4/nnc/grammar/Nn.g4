grammar Nn;
// Placeholder: the front-end work replaces this with the full grammar.
program : EOF ;
