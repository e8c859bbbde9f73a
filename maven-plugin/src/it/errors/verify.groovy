def log = new File(basedir, 'build.log').text
def bad = new File(basedir, 'src/main/nn/bad.nn').canonicalPath
assert log.contains("[ERROR] ${bad}:4:18: error: unknown name 'nowhere'")
assert log.contains('4 |   output z = x @ nowhere')
assert log.contains('nnc: 1 error(s) in the models under')
assert !log.contains('\tat ') // no stack trace
return true
