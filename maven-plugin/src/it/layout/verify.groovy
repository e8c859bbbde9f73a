// generate-test wrote only the selected model of the two in pair.nn; the main classes are not test classes
def gen = new File(basedir, 'target/generated-test-sources/nnc/com/acme/checks')
assert new File(gen, 'Second.java').isFile()
assert !new File(gen, 'First.java').exists()
assert new File(basedir, 'target/generated-sources/nnc/com/acme/Scale.java').isFile()
assert new File(basedir, 'target/test-classes/com/acme/checks/Uses.class').isFile()
return true
