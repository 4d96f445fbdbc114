#!/usr/bin/env python3
"""Render the readme notebook (nbs/index.ipynb) to README.md, offline.

An offline stand-in for `nbdev_readme`, which needs Quarto. Pure standard library and
deterministic: the same notebook always gives the same bytes.

    python .ci/readme.py           # write README.md
    python .ci/readme.py --check   # exit 1 with a diff when README.md is out of step

Rendering rules:
- the first markdown cell's `# Title` and `> summary` lines become the title and a blockquote
  (nbdev 2 `- key: value` frontmatter lines after them are dropped);
- other markdown cells are copied verbatim; raw cells are skipped;
- code cells become ```python fenced blocks with their leading `#|` directive lines removed;
  cells with `#| hide` (or `#| include: false`) are skipped, `#| echo: false` drops the code
  and `#| output: false` the outputs;
- outputs, if the notebook has any: stream text and text/plain results become plain fenced
  blocks, text/markdown is copied verbatim, images and other rich data are skipped.
"""
import argparse, configparser, difflib, json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTE = '<!-- generated from nbs/index.ipynb by .ci/readme.py; edit the notebook, not this file -->'
HINT = 'run: python .ci/readme.py'

_re_directive = re.compile(r'^\s*#\s*\|\s*(.*?)\s*$')
_re_ansi = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]')


def _paths():
    "Readme notebook and README.md paths, from settings.ini (nbs_path, readme_nb) when present."
    cfg = configparser.ConfigParser(delimiters=['='], interpolation=None)
    cfg.read(ROOT / 'settings.ini', encoding='utf-8')
    d = cfg['DEFAULT']
    nbs = d.get('nbs_path', 'nbs') or 'nbs'
    nb = d.get('readme_nb', 'index.ipynb') or 'index.ipynb'
    return ROOT / nbs / nb, ROOT / 'README.md'


def _src(cell):
    s = cell.get('source', '')
    return ''.join(s) if isinstance(s, list) else s


def _fence(text, lang=''):
    "Fence `text`, with a fence longer than any backtick run inside it."
    longest = max((len(m) for m in re.findall(r'`{3,}', text)), default=0)
    f = '`' * max(3, longest + 1)
    return f'{f}{lang}\n{text}\n{f}'


def _directives(src):
    "Split leading `#|` directive lines off `src`: ({name: value}, remaining source)."
    lines, dirs = src.splitlines(), {}
    while lines and _re_directive.match(lines[0]):
        body = _re_directive.match(lines[0]).group(1)
        if ':' in body: name, _, val = body.partition(':')     # quarto style: `#| echo: false`
        else: name, _, val = body.partition(' ')              # nbdev style: `#| hide`, `#| export`
        if name.strip(): dirs[name.strip().lower()] = val.strip().lower()
        lines.pop(0)
    return dirs, '\n'.join(lines)


def _false(v): return v in ('false', 'no', '0')


def _title_cell(src):
    "Render the `# Title` / `> summary` / `- key: value` first cell; None if it has no title."
    lines = src.strip('\n').splitlines()
    if not lines or not re.match(r'^#\s+\S', lines[0]): return None
    out, i = [lines[0].rstrip()], 1
    while i < len(lines) and not lines[i].strip(): i += 1
    summary = []
    while i < len(lines) and lines[i].startswith('>'):
        summary.append(lines[i].rstrip()); i += 1
    if summary: out += ['', *summary]
    while i < len(lines) and not lines[i].strip(): i += 1
    while i < len(lines) and re.match(r'^-\s+[\w-]+\s*:', lines[i]): i += 1  # nbdev frontmatter
    rest = '\n'.join(lines[i:]).strip('\n')
    if rest: out += ['', rest]
    return '\n'.join(out)


def _text(x): return ''.join(x) if isinstance(x, list) else (x or '')


def _outputs(cell):
    blocks = []
    for o in cell.get('outputs', []):
        kind = o.get('output_type')
        if kind == 'stream':
            t = _re_ansi.sub('', _text(o.get('text'))).rstrip()
            if t: blocks.append(_fence(t))
        elif kind in ('execute_result', 'display_data'):
            data = o.get('data', {})
            if 'text/markdown' in data:
                t = _text(data['text/markdown']).strip('\n')
                if t.strip(): blocks.append(t)
            elif any(k.startswith('image/') for k in data): continue  # images are skipped
            elif 'text/plain' in data:
                t = _re_ansi.sub('', _text(data['text/plain'])).rstrip()
                if t: blocks.append(_fence(t))
        # errors and anything else are not rendered
    return blocks


def render(nb):
    "The README.md text for notebook dict `nb`."
    blocks, first_md = [NOTE], True
    for cell in nb.get('cells', []):
        kind, src = cell.get('cell_type'), _src(cell)
        if kind == 'markdown':
            t = _title_cell(src) if first_md else None
            first_md = False
            t = t if t is not None else src.strip('\n')
            if t.strip(): blocks.append('\n'.join(l.rstrip() for l in t.splitlines()))
        elif kind == 'code':
            dirs, code = _directives(src)
            if 'hide' in dirs or _false(dirs.get('include', '')): continue
            code = code.strip('\n')
            if code.strip() and not _false(dirs.get('echo', '')):
                blocks.append(_fence('\n'.join(l.rstrip() for l in code.splitlines()), 'python'))
            if not _false(dirs.get('output', '')): blocks += _outputs(cell)
    return '\n\n'.join(blocks) + '\n'


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--check', action='store_true', help='exit 1 with a diff if README.md is out of step')
    args = ap.parse_args(argv)
    nb_path, readme = _paths()
    with open(nb_path, encoding='utf-8') as f: new = render(json.load(f))
    if args.check:
        old = readme.read_text(encoding='utf-8') if readme.exists() else ''
        if old == new:
            print(f'README.md is in step with {nb_path.relative_to(ROOT)}')
            return 0
        sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                                   'README.md (committed)', 'README.md (from notebook)'))
        print(f'\nREADME.md is out of step with {nb_path.relative_to(ROOT)}; {HINT}')
        return 1
    with open(readme, 'w', encoding='utf-8', newline='\n') as f: f.write(new)
    print(f'wrote {readme.relative_to(ROOT)} from {nb_path.relative_to(ROOT)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
