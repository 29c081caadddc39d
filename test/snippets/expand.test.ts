/** The snippet expander the snippet tests rely on: VS Code's syntax, as the editor inserts a snippet. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandSnippet, parseSnippet, SnippetSyntaxError, tabstops } from './expand';

describe('expandSnippet', () => {
  it('inserts placeholder defaults and mirrors them at linked tabstops', () => {
    assert.equal(expandSnippet('name: ${1:task-api}\napp: $1\nx: ${1}'), 'name: task-api\napp: task-api\nx: task-api');
    assert.equal(expandSnippet('app: $1\nname: ${1:late}'), 'app: late\nname: late', 'the default may come after a mirror');
    assert.equal(expandSnippet('a: $2'), 'a: ', 'a tabstop without default is empty');
  });

  it('takes the first choice, and $0 is empty', () => {
    assert.equal(expandSnippet('mode: "${1|Off,Initial,Recreate|}"$0'), 'mode: "Off"');
    assert.equal(expandSnippet('${1|a\\,b,c|} $1'), 'a,b a,b');
  });

  it('expands nested placeholders', () => {
    assert.equal(expandSnippet('${1:name-${2:prod}} $2'), 'name-prod prod');
  });

  it('resolves variables, with defaults and transforms, and inserts unknown ones by name', () => {
    assert.equal(expandSnippet('$TM_FILENAME_BASE'), 'task-api-deployment');
    assert.equal(expandSnippet('${TM_FILENAME_BASE/(.*)-deployment/$1/}'), 'task-api');
    assert.equal(expandSnippet('${TM_FILENAME_BASE/(.*)/${1:/upcase}/}'), 'TASK-API-DEPLOYMENT');
    assert.equal(expandSnippet('${NOPE:fallback} $NOPE'), 'fallback NOPE');
    assert.equal(expandSnippet('${TM_SELECTED_TEXT:none}'), 'none');
    assert.equal(expandSnippet('$X', { variables: { X: 'y' } }), 'y');
  });

  it('honours escapes and keeps other backslashes', () => {
    assert.equal(expandSnippet('\\$POSTGRES_USER \\} \\\\ \\" \\n'), '$POSTGRES_USER } \\ \\" \\n');
    assert.equal(expandSnippet('${1:a\\}b}'), 'a}b');
    assert.equal(expandSnippet('cost: 5$'), 'cost: 5$');
  });

  it('joins an array body with newlines and takes typed values', () => {
    assert.equal(expandSnippet(['a: ${1:x}', 'b: $1'], { values: { 1: 'typed' } }), 'a: typed\nb: typed');
  });

  it('rejects malformed snippets', () => {
    assert.throws(() => parseSnippet('${1:open'), SnippetSyntaxError);
    assert.throws(() => parseSnippet('${1|a,b}'), SnippetSyntaxError);
    assert.throws(() => parseSnippet('${-x}'), SnippetSyntaxError);
  });

  it('lists tabstops', () => {
    assert.deepEqual(tabstops(parseSnippet('${1:a} $1 ${2|x,y|} $0')).map((t) => [t.index, t.hasDefault]), [[1, true], [1, false], [2, true], [0, false]]);
  });
});
