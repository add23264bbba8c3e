/* Compiled fast paths for core.scorers, the hot path of Tonewatch's tone scorer:
 *   word_valences      VADER's per-word rules on an ASCII sentence
 *   clause_tones       tone toward groups of spans of an ASCII sentence, clause-scoped, masked
 *   mention_tones      the same for every sentence and country of an article in one call
 *   lexicon_compounds  the cheap lexicon tone of many spans of one text (the document tone)
 *
 * core/scorers.py holds the Python reference of each and calls these only where they give the
 * same result: Python's lower() and isupper() follow Unicode rules this file does not copy, so a
 * sentence that is not ASCII goes to the Python path (mention_tones calls back for it). The rare
 * VADER rules (boosters, negations, idioms, "least") are called back in Python with the
 * arguments the Python path would pass. tests/unit/test_vader_native.py checks every function
 * equal to its reference on real and random text.
 *
 * configure(), called once when core.scorers is imported, fills the word table: every word the
 * rules look up, with its valence and flags.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* Flags of a word in the table (core/scorers.py passes the same values). */
#define IN_LEXICON 1 /* has a valence of its own in VADER's lexicon */
#define SCORED 2     /* a lexicon word that is not a booster: gets a valence */
#define CONTEXT 4    /* may change the valence of a lexicon word up to 3 places after it */
#define IDIOM 8      /* part of one of VADER's idioms or booster phrases */
#define NEGATION 16  /* one of VADER's negations */

typedef struct {
    char *key; /* NULL marks an empty slot */
    Py_ssize_t size;
    double valence;
    int flags;
} Entry;

typedef struct {
    Entry *slots;
    size_t mask; /* slot count - 1; the count is a power of two at most half full */
} Table;

static Table table = {NULL, 0};
static double c_incr = 0.0;           /* VADER's ALL-CAPS emphasis */
static double n_scalar = 0.0;         /* VADER's negation factor */
static PyObject *full_valence = NULL; /* scorers._valence(words, lowered, i, is_cap_diff) */
static PyObject *idioms = NULL;       /* scorers._idioms(valence, lowered, i) */

static uint64_t hash_bytes(const char *bytes, Py_ssize_t size) {
    uint64_t hash = 1469598103934665603ULL; /* FNV-1a */
    for (Py_ssize_t i = 0; i < size; i++) {
        hash ^= (unsigned char)bytes[i];
        hash *= 1099511628211ULL;
    }
    return hash;
}

static const Entry *lookup(const char *key, Py_ssize_t size) {
    if (table.slots == NULL) {
        return NULL;
    }
    size_t slot = (size_t)hash_bytes(key, size) & table.mask;
    while (table.slots[slot].key != NULL) {
        const Entry *entry = &table.slots[slot];
        if (entry->size == size && memcmp(entry->key, key, (size_t)size) == 0) {
            return entry;
        }
        slot = (slot + 1) & table.mask;
    }
    return NULL;
}

static void free_table(Table *old) {
    if (old->slots == NULL) {
        return;
    }
    for (size_t i = 0; i <= old->mask; i++) {
        PyMem_Free(old->slots[i].key);
    }
    PyMem_Free(old->slots);
    old->slots = NULL;
    old->mask = 0;
}

static int insert(Table *into, const char *key, Py_ssize_t size, double valence, int flags) {
    size_t slot = (size_t)hash_bytes(key, size) & into->mask;
    while (into->slots[slot].key != NULL) {
        Entry *entry = &into->slots[slot];
        if (entry->size == size && memcmp(entry->key, key, (size_t)size) == 0) {
            entry->valence = valence;
            entry->flags = flags;
            return 0;
        }
        slot = (slot + 1) & into->mask;
    }
    char *copy = PyMem_Malloc((size_t)size + 1);
    if (copy == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    memcpy(copy, key, (size_t)size);
    copy[size] = '\0';
    into->slots[slot] = (Entry){copy, size, valence, flags};
    return 0;
}

/* configure(words: list[tuple[str, float, int]], c_incr, n_scalar, full_valence, idioms) */
static PyObject *configure(PyObject *self, PyObject *args) {
    PyObject *words, *valence_callback, *idioms_callback;
    double new_c_incr, new_n_scalar;
    if (!PyArg_ParseTuple(args, "O!ddOO", &PyList_Type, &words, &new_c_incr, &new_n_scalar,
                          &valence_callback, &idioms_callback)) {
        return NULL;
    }
    if (!PyCallable_Check(valence_callback) || !PyCallable_Check(idioms_callback)) {
        PyErr_SetString(PyExc_TypeError, "the two callbacks must be callable");
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(words);
    size_t slots = 16;
    while (slots < (size_t)count * 2 + 1) {
        slots *= 2;
    }
    Table fresh = {PyMem_Calloc(slots, sizeof(Entry)), slots - 1};
    if (fresh.slots == NULL) {
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *item = PyList_GET_ITEM(words, i);
        PyObject *word;
        double valence;
        int flags;
        if (!PyArg_ParseTuple(item, "Udi", &word, &valence, &flags)) {
            free_table(&fresh);
            return NULL;
        }
        Py_ssize_t size;
        const char *bytes = PyUnicode_AsUTF8AndSize(word, &size);
        if (bytes == NULL || insert(&fresh, bytes, size, valence, flags) < 0) {
            free_table(&fresh);
            return NULL;
        }
    }
    free_table(&table);
    table = fresh;
    c_incr = new_c_incr;
    n_scalar = new_n_scalar;
    Py_INCREF(valence_callback);
    Py_XSETREF(full_valence, valence_callback);
    Py_INCREF(idioms_callback);
    Py_XSETREF(idioms, idioms_callback);
    Py_RETURN_NONE;
}

/* str.split()'s whitespace, for ASCII */
static int is_space(unsigned char c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* string.punctuation */
static int is_punctuation(unsigned char c) {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

static int has_nt(const char *key, Py_ssize_t size) {
    for (Py_ssize_t i = 0; i + 2 < size; i++) {
        if (key[i] == 'n' && key[i + 1] == '\'' && key[i + 2] == 't') {
            return 1;
        }
    }
    return 0;
}

typedef struct {
    Py_ssize_t start, end; /* the raw word in the text */
    const char *key;       /* VADER's lower-cased, punctuation-stripped form */
    Py_ssize_t key_size;
    const Entry *entry; /* the key in the table, or NULL */
    int upper;          /* str.isupper() of the raw word */
} Word;

static int key_is(const Word *word, const char *literal) {
    Py_ssize_t size = (Py_ssize_t)strlen(literal);
    return word->key_size == size && memcmp(word->key, literal, (size_t)size) == 0;
}

static int word_flags(const Word *word) { return word->entry ? word->entry->flags : 0; }

/* The list the Python rules take: the keys as str, or the raw words. */
static PyObject *word_list(const char *text, const Word *words, Py_ssize_t count, int raw) {
    PyObject *list = PyList_New(count);
    if (list == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        const Word *word = &words[i];
        PyObject *item = raw ? PyUnicode_DecodeASCII(text + word->start, word->end - word->start,
                                                     NULL)
                             : PyUnicode_DecodeASCII(word->key, word->key_size, NULL);
        if (item == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, item);
    }
    return list;
}

static int call_for_float(PyObject *callable, PyObject *args, double *result) {
    if (args == NULL) {
        return -1;
    }
    PyObject *value = PyObject_CallObject(callable, args);
    Py_DECREF(args);
    if (value == NULL) {
        return -1;
    }
    *result = PyFloat_AsDouble(value);
    Py_DECREF(value);
    return (*result == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

/* The lists for the Python callbacks, made on first need. */
typedef struct {
    const char *text;
    const Word *words;
    Py_ssize_t count;
    PyObject *lowered;
    PyObject *raw;
} Lists;

static PyObject *lowered_list(Lists *lists) {
    if (lists->lowered == NULL) {
        lists->lowered = word_list(lists->text, lists->words, lists->count, 0);
    }
    return lists->lowered;
}

static PyObject *raw_list(Lists *lists) {
    if (lists->raw == NULL) {
        lists->raw = word_list(lists->text, lists->words, lists->count, 1);
    }
    return lists->raw;
}

/* scorers._plain_valence: no context word and no "n't" in the three words before i. */
static int plain_valence(Lists *lists, Py_ssize_t i, int is_cap_diff, double *result) {
    const Word *words = lists->words;
    double valence = words[i].entry->valence;
    if (is_cap_diff && words[i].upper) {
        valence += valence > 0 ? c_incr : -c_incr;
    }
    if (i > 2 && !(word_flags(&words[i - 3]) & IN_LEXICON) &&
        ((word_flags(&words[i]) & IDIOM) || (word_flags(&words[i - 2]) & IDIOM))) {
        PyObject *lowered = lowered_list(lists);
        if (lowered == NULL) {
            return -1;
        }
        return call_for_float(idioms, Py_BuildValue("(dOn)", valence, lowered, i), result);
    }
    *result = valence;
    return 0;
}

/* SentimentIntensityAnalyzer._but_check, quirks included (see scorers._but_check). */
static void but_check(const Word *words, Py_ssize_t count, double *sentiments) {
    Py_ssize_t but = 0;
    while (!key_is(&words[but], "but")) {
        but++;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        double sentiment = sentiments[k];
        Py_ssize_t first = 0;
        while (sentiments[first] != sentiment) {
            first++;
        }
        if (first < but) {
            sentiments[first] = sentiment * 0.5;
        } else if (first > but) {
            sentiments[first] = sentiment * 1.5;
        }
    }
}

/* VADER's valence of each word into sentiments (zeros where no word has a valence). */
static int score_words(Lists *lists, double *sentiments) {
    const Word *words = lists->words;
    Py_ssize_t count = lists->count;
    int any_scored = 0;
    for (Py_ssize_t i = 0; i < count && !any_scored; i++) {
        any_scored = (word_flags(&words[i]) & SCORED) != 0;
    }
    if (!any_scored) {
        return 0;
    }
    Py_ssize_t upper = 0;
    int any_nt = 0, any_but = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        upper += words[i].upper;
        any_nt = any_nt || has_nt(words[i].key, words[i].key_size);
        any_but = any_but || key_is(&words[i], "but");
    }
    int is_cap_diff = 0 < count - upper && count - upper < count;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (!(word_flags(&words[i]) & SCORED)) {
            continue;
        }
        if (key_is(&words[i], "kind") && i < count - 1 && key_is(&words[i + 1], "of")) {
            continue;
        }
        int plain = !key_is(&words[i], "no");
        for (Py_ssize_t j = i > 3 ? i - 3 : 0; j < i && plain; j++) {
            plain = !(word_flags(&words[j]) & CONTEXT) &&
                    !(any_nt && has_nt(words[j].key, words[j].key_size));
        }
        if (plain) {
            if (plain_valence(lists, i, is_cap_diff, &sentiments[i]) < 0) {
                return -1;
            }
            continue;
        }
        PyObject *raw = raw_list(lists);
        PyObject *lowered = lowered_list(lists);
        if (raw == NULL || lowered == NULL) {
            return -1;
        }
        PyObject *args = Py_BuildValue("(OOnO)", raw, lowered, i, is_cap_diff ? Py_True : Py_False);
        if (call_for_float(full_valence, args, &sentiments[i]) < 0) {
            return -1;
        }
    }
    if (any_but) {
        but_check(words, count, sentiments);
    }
    return 0;
}

static PyObject *tuple_of_sizes(const Word *words, Py_ssize_t count, int ends) {
    PyObject *tuple = PyTuple_New(count);
    if (tuple == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *item = PyLong_FromSsize_t(ends ? words[i].end : words[i].start);
        if (item == NULL) {
            Py_DECREF(tuple);
            return NULL;
        }
        PyTuple_SET_ITEM(tuple, i, item);
    }
    return tuple;
}

static PyObject *valence_tuples(const Word *words, Py_ssize_t count, const double *sentiments) {
    PyObject *starts = tuple_of_sizes(words, count, 0);
    PyObject *ends = tuple_of_sizes(words, count, 1);
    PyObject *valences = PyTuple_New(count);
    PyObject *hits = PyList_New(0);
    PyObject *result = NULL;
    if (starts == NULL || ends == NULL || valences == NULL || hits == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *value = PyFloat_FromDouble(sentiments[i]);
        if (value == NULL) {
            goto done;
        }
        PyTuple_SET_ITEM(valences, i, value);
        if (sentiments[i] != 0.0) {
            PyObject *index = PyLong_FromSsize_t(i);
            int failed = index == NULL || PyList_Append(hits, index) < 0;
            Py_XDECREF(index);
            if (failed) {
                goto done;
            }
        }
    }
    PyObject *hit_tuple = PyList_AsTuple(hits);
    if (hit_tuple != NULL) {
        result = PyTuple_Pack(4, starts, ends, valences, hit_tuple);
        Py_DECREF(hit_tuple);
    }
done:
    Py_XDECREF(starts);
    Py_XDECREF(ends);
    Py_XDECREF(valences);
    Py_XDECREF(hits);
    return result;
}

/* Split an ASCII text like str.split() and fill each word's key: VADER strips punctuation from
 * both ends when more than 2 characters remain, then lower-cases. Returns the word count. */
static Py_ssize_t read_words(const char *text, Py_ssize_t size, Word *words, char *keys) {
    Py_ssize_t count = 0, at = 0;
    while (at < size) {
        while (at < size && is_space((unsigned char)text[at])) {
            at++;
        }
        if (at == size) {
            break;
        }
        Py_ssize_t start = at;
        int cased = 0, lower = 0;
        while (at < size && !is_space((unsigned char)text[at])) {
            unsigned char c = (unsigned char)text[at];
            cased |= (c >= 'A' && c <= 'Z');
            lower |= (c >= 'a' && c <= 'z');
            at++;
        }
        Py_ssize_t first = start, last = at;
        while (first < last && is_punctuation((unsigned char)text[first])) {
            first++;
        }
        while (last > first && is_punctuation((unsigned char)text[last - 1])) {
            last--;
        }
        if (last - first <= 2) {
            first = start;
            last = at;
        }
        for (Py_ssize_t k = first; k < last; k++) {
            unsigned char c = (unsigned char)text[k];
            keys[k] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
        Word *word = &words[count++];
        *word = (Word){start, at, keys + first, last - first, NULL, cased && !lower};
        word->entry = lookup(word->key, word->key_size);
    }
    return count;
}

/* First index in values[0:count] whose value is > key (bisect_right) or >= key (bisect_left). */
static Py_ssize_t bisect(const Py_ssize_t *values, Py_ssize_t count, Py_ssize_t key, int right) {
    Py_ssize_t low = 0, high = count;
    while (low < high) {
        Py_ssize_t middle = low + (high - low) / 2;
        if (right ? values[middle] <= key : values[middle] < key) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    return low;
}

static int is_closer(char c) { return c == '"' || c == '\'' || c == ')' || c == ']'; }

/* Where a clause starts after , ; or : (with closing quotes or brackets, then a space or the end):
 * the ends of scorers._PUNCTUATION_BREAK's matches. Returns how many. */
static Py_ssize_t clause_breaks(const char *text, Py_ssize_t size, Py_ssize_t *breaks) {
    Py_ssize_t count = 0;
    for (Py_ssize_t at = 0; at < size; at++) {
        if (text[at] != ',' && text[at] != ';' && text[at] != ':') {
            continue;
        }
        Py_ssize_t end = at + 1;
        while (end < size && is_closer(text[end])) {
            end++;
        }
        if (end == size || is_space((unsigned char)text[end])) {
            breaks[count++] = end;
            at = end - 1;
        }
    }
    return count;
}

/* VADER's _punctuation_emphasis: up to four ! and, when there are 2 or more, the ?. */
static double punctuation_emphasis(const char *text, Py_ssize_t size) {
    Py_ssize_t exclamations = 0, questions = 0;
    for (Py_ssize_t i = 0; i < size; i++) {
        exclamations += text[i] == '!';
        questions += text[i] == '?';
    }
    double emphasis = (double)(exclamations > 4 ? 4 : exclamations) * 0.292;
    if (questions > 1) {
        emphasis += questions <= 3 ? (double)questions * 0.18 : 0.96;
    }
    return emphasis;
}

/* VADER's compound of a summed valence with its punctuation emphasis (scorers.compound). */
static double compound(double total, double emphasis) {
    if (total > 0) {
        total += emphasis;
    } else if (total < 0) {
        total -= emphasis;
    }
    return total / sqrt(total * total + 15.0);
}

typedef struct {
    Py_ssize_t start, end; /* character offsets into the sentence */
    Py_ssize_t group;      /* which group of targets the span belongs to; -1: masked only */
    int masked;            /* its words carry no valence (a country's own words) */
} Target;

/* Buffers for scoring sentences of up to `size` characters, allocated once per call. */
typedef struct {
    Word *words;
    char *keys, *text, *in_anchor_clause;
    double *sentiments;
    Py_ssize_t *starts, *ends, *breaks, *kept, *clauses;
} Scratch;

static void free_scratch(Scratch *scratch) {
    PyMem_Free(scratch->words);
    PyMem_Free(scratch->keys);
    PyMem_Free(scratch->text);
    PyMem_Free(scratch->in_anchor_clause);
    PyMem_Free(scratch->sentiments);
    PyMem_Free(scratch->starts);
    PyMem_Free(scratch->ends);
    PyMem_Free(scratch->breaks);
    PyMem_Free(scratch->kept);
    PyMem_Free(scratch->clauses);
}

static int allocate_scratch(Scratch *scratch, Py_ssize_t size) {
    size_t words = (size_t)size / 2 + 2, characters = (size_t)size + 2;
    *scratch = (Scratch){
        PyMem_Malloc(sizeof(Word) * words),
        PyMem_Malloc(characters),
        PyMem_Malloc(characters),
        PyMem_Malloc(characters),
        PyMem_Malloc(sizeof(double) * words),
        PyMem_Malloc(sizeof(Py_ssize_t) * words),
        PyMem_Malloc(sizeof(Py_ssize_t) * words),
        PyMem_Malloc(sizeof(Py_ssize_t) * characters),
        PyMem_Malloc(sizeof(Py_ssize_t) * words),
        PyMem_Malloc(sizeof(Py_ssize_t) * words),
    };
    if (!scratch->words || !scratch->keys || !scratch->text || !scratch->in_anchor_clause ||
        !scratch->sentiments || !scratch->starts || !scratch->ends || !scratch->breaks ||
        !scratch->kept || !scratch->clauses) {
        free_scratch(scratch);
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

/* Split an ASCII sentence into s->words and put VADER's valence of each in s->sentiments.
 * Returns the word count, or -1 with an exception set. */
static Py_ssize_t score_sentence(const char *text, Py_ssize_t size, Scratch *s) {
    Lists lists = {text, s->words, read_words(text, size, s->words, s->keys), NULL, NULL};
    memset(s->sentiments, 0, sizeof(double) * ((size_t)lists.count + 1));
    int failed = score_words(&lists, s->sentiments);
    Py_XDECREF(lists.lowered);
    Py_XDECREF(lists.raw);
    return failed ? -1 : lists.count;
}

/* word_valences(text) -> (starts, ends, valences, hits) for an ASCII text, else None. */
static PyObject *word_valences(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "word_valences takes a str");
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(text) || table.slots == NULL) {
        Py_RETURN_NONE;
    }
    const char *bytes = (const char *)PyUnicode_1BYTE_DATA(text);
    Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    Scratch scratch;
    if (allocate_scratch(&scratch, size) < 0) {
        return NULL;
    }
    Py_ssize_t count = score_sentence(bytes, size, &scratch);
    PyObject *result = count < 0 ? NULL : valence_tuples(scratch.words, count, scratch.sentiments);
    free_scratch(&scratch);
    return result;
}

/* The tone toward each of group_count groups of targets in an ASCII sentence, counting only the
 * words in a target's clause and outside the masked targets:
 * VaderScorer(clause=True, clause_words=False).score_targets on the sentence's valences. */
static int sentence_group_tones(const char *text, Py_ssize_t size, const Target *targets,
                                Py_ssize_t target_count, Py_ssize_t group_count, Scratch *s,
                                double *tones) {
    Py_ssize_t count = score_sentence(text, size, s);
    if (count < 0) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        s->starts[i] = s->words[i].start;
        s->ends[i] = s->words[i].end;
        s->kept[i] = s->sentiments[i] != 0.0;
    }
    for (Py_ssize_t t = 0; t < target_count; t++) {
        if (targets[t].masked) {
            Py_ssize_t last = bisect(s->starts, count, targets[t].end, 0);
            for (Py_ssize_t i = bisect(s->ends, count, targets[t].start, 1); i < last; i++) {
                s->kept[i] = 0;
            }
        }
    }
    Py_ssize_t break_count = clause_breaks(text, size, s->breaks);
    Py_ssize_t kept = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (s->kept[i]) {
            s->clauses[kept] = bisect(s->breaks, break_count, s->starts[i], 1);
            s->kept[kept++] = i;
        }
    }
    double emphasis = punctuation_emphasis(text, size);
    for (Py_ssize_t g = 0; g < group_count; g++) {
        memset(s->in_anchor_clause, 0, (size_t)break_count + 1);
        int anchored = 0;
        for (Py_ssize_t t = 0; t < target_count; t++) {
            if (targets[t].group != g) {
                continue;
            }
            Py_ssize_t last = bisect(s->starts, count, targets[t].end, 0);
            for (Py_ssize_t a = bisect(s->ends, count, targets[t].start, 1); a < last; a++) {
                s->in_anchor_clause[bisect(s->breaks, break_count, s->starts[a], 1)] = 1;
                anchored = 1;
            }
        }
        double total = 0.0;
        for (Py_ssize_t k = 0; k < kept; k++) {
            if (!anchored || s->in_anchor_clause[s->clauses[k]]) {
                total += s->sentiments[s->kept[k]];
            }
        }
        tones[g] = compound(total, emphasis);
    }
    return 0;
}

static int read_span(PyObject *span, Py_ssize_t *start, Py_ssize_t *end) {
    return PyArg_ParseTuple(span, "nn", start, end) ? 0 : -1;
}

/* Append the spans of a sequence to targets as the given group (masked or not). */
static int add_targets(PyObject *sequence, Py_ssize_t group, int masked, Target **targets,
                       Py_ssize_t *count, Py_ssize_t *room) {
    PyObject *spans = PySequence_Fast(sequence, "spans must be a sequence of (start, end)");
    if (spans == NULL) {
        return -1;
    }
    int result = 0;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(spans) && result == 0; i++) {
        if (*count == *room) {
            *room = *room * 2 + 8;
            Target *grown = PyMem_Realloc(*targets, sizeof(Target) * (size_t)*room);
            if (grown == NULL) {
                PyErr_NoMemory();
                result = -1;
                break;
            }
            *targets = grown;
        }
        Target *target = &(*targets)[*count];
        result = read_span(PySequence_Fast_GET_ITEM(spans, i), &target->start, &target->end);
        target->group = group;
        target->masked = masked;
        *count += result == 0;
    }
    Py_DECREF(spans);
    return result;
}

/* clause_tones(text, groups, masked) -> [tone per group] for an ASCII text, else None. */
static PyObject *clause_tones(PyObject *self, PyObject *args) {
    PyObject *text, *group_list, *masked;
    if (!PyArg_ParseTuple(args, "UOO", &text, &group_list, &masked)) {
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(text) || table.slots == NULL) {
        Py_RETURN_NONE;
    }
    const char *bytes = (const char *)PyUnicode_1BYTE_DATA(text);
    Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    PyObject *groups = PySequence_Fast(group_list, "groups must be a sequence");
    if (groups == NULL) {
        return NULL;
    }
    Py_ssize_t group_count = PySequence_Fast_GET_SIZE(groups);
    Target *targets = NULL;
    Py_ssize_t count = 0, room = 0;
    double *tones = PyMem_Malloc(sizeof(double) * ((size_t)group_count + 1));
    PyObject *result = NULL;
    Scratch scratch;
    int ready = tones != NULL && add_targets(masked, -1, 1, &targets, &count, &room) == 0;
    for (Py_ssize_t g = 0; g < group_count && ready; g++) {
        ready = add_targets(PySequence_Fast_GET_ITEM(groups, g), g, 0, &targets, &count, &room) == 0;
    }
    if (tones == NULL) {
        PyErr_NoMemory();
    }
    if (ready && allocate_scratch(&scratch, size) == 0) {
        if (sentence_group_tones(bytes, size, targets, count, group_count, &scratch, tones) == 0) {
            result = PyList_New(group_count);
            for (Py_ssize_t g = 0; result != NULL && g < group_count; g++) {
                PyObject *tone = PyFloat_FromDouble(tones[g]);
                if (tone == NULL) {
                    Py_CLEAR(result);
                } else {
                    PyList_SET_ITEM(result, g, tone);
                }
            }
        }
        free_scratch(&scratch);
    }
    PyMem_Free(targets);
    PyMem_Free(tones);
    Py_DECREF(groups);
    return result;
}

typedef struct {
    Py_ssize_t start, end;
} Span;

static int compare_spans(const void *left, const void *right) {
    const Span *a = left, *b = right;
    if (a->start != b->start) {
        return a->start < b->start ? -1 : 1;
    }
    return a->end < b->end ? -1 : (a->end > b->end);
}

typedef struct {
    PyObject *iso3; /* new reference */
    Py_ssize_t start, end;
    Py_ssize_t sentence; /* index into the sorted sentences; -1 when in none */
} Found;

static int read_mention(PyObject *mention, Found *found) {
    PyObject *start = PyObject_GetAttrString(mention, "start");
    PyObject *end = PyObject_GetAttrString(mention, "end");
    found->iso3 = PyObject_GetAttrString(mention, "iso3");
    found->start = start ? PyLong_AsSsize_t(start) : -1;
    found->end = end ? PyLong_AsSsize_t(end) : -1;
    Py_XDECREF(start);
    Py_XDECREF(end);
    if (!PyErr_Occurred() && !PyUnicode_Check(found->iso3)) {
        PyErr_SetString(PyExc_TypeError, "a mention's iso3 must be a str");
    }
    return PyErr_Occurred() ? -1 : 0;
}

static int is_ascii_span(int kind, const void *data, Py_ssize_t start, Py_ssize_t end) {
    for (Py_ssize_t i = start; i < end; i++) {
        if (PyUnicode_READ(kind, data, i) >= 128) {
            return 0;
        }
    }
    return 1;
}

/* fallback(sentence, groups, masked) for a sentence this file does not score (not ASCII). */
static int fallback_tones(PyObject *fallback, PyObject *text, Span sentence,
                          const Target *targets, Py_ssize_t target_count,
                          Py_ssize_t group_count, double *tones) {
    PyObject *sentence_text = PyUnicode_Substring(text, sentence.start, sentence.end);
    PyObject *groups = PyList_New(group_count);
    PyObject *masked = PyList_New(0);
    PyObject *result = NULL;
    int failed = sentence_text == NULL || groups == NULL || masked == NULL;
    for (Py_ssize_t g = 0; g < group_count && !failed; g++) {
        PyObject *group = PyList_New(0);
        failed = group == NULL;
        if (!failed) {
            PyList_SET_ITEM(groups, g, group);
        }
    }
    for (Py_ssize_t t = 0; t < target_count && !failed; t++) {
        PyObject *span = Py_BuildValue("(nn)", targets[t].start, targets[t].end);
        failed = span == NULL || PyList_Append(masked, span) < 0 ||
                 PyList_Append(PyList_GET_ITEM(groups, targets[t].group), span) < 0;
        Py_XDECREF(span);
    }
    if (!failed) {
        result = PyObject_CallFunctionObjArgs(fallback, sentence_text, groups, masked, NULL);
    }
    PyObject *values = result ? PySequence_Fast(result, "fallback must return a sequence") : NULL;
    failed = values == NULL || PySequence_Fast_GET_SIZE(values) != group_count;
    if (values != NULL && failed) {
        PyErr_SetString(PyExc_ValueError, "fallback must return one tone per group");
    }
    for (Py_ssize_t g = 0; g < group_count && !failed; g++) {
        tones[g] = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(values, g));
        failed = tones[g] == -1.0 && PyErr_Occurred();
    }
    Py_XDECREF(values);
    Py_XDECREF(result);
    Py_XDECREF(sentence_text);
    Py_XDECREF(groups);
    Py_XDECREF(masked);
    return failed ? -1 : 0;
}

/* Targets of one sentence: every mention in it, masked, grouped by country in order of first
 * appearance (scorers.spans_by_country). Returns the group count; group_of[g] is the index into
 * found of the group's first mention, counts[g] its number of mentions. */
static Py_ssize_t sentence_targets(const Found *found, Py_ssize_t found_count, Py_ssize_t sentence,
                                   Span span, Target *targets, Py_ssize_t *target_count,
                                   Py_ssize_t *group_of, Py_ssize_t *counts) {
    Py_ssize_t groups = 0;
    *target_count = 0;
    for (Py_ssize_t m = 0; m < found_count; m++) {
        if (found[m].sentence != sentence) {
            continue;
        }
        Py_ssize_t g = 0;
        while (g < groups && PyUnicode_Compare(found[group_of[g]].iso3, found[m].iso3) != 0) {
            g++;
        }
        if (g == groups) {
            group_of[groups] = m;
            counts[groups++] = 0;
        }
        counts[g]++;
        targets[(*target_count)++] =
            (Target){found[m].start - span.start, found[m].end - span.start, g, 1};
    }
    return groups;
}

/* mention_tones(text, sentences, mentions, fallback) -> [(start, end, iso3, tone, mentions)]:
 * scorers.python_country_tones for the product's clause scope, one row per sentence and country
 * in the same order. ASCII sentences are scored here, others by fallback(sentence, groups, masked). */
static PyObject *mention_tones(PyObject *self, PyObject *args) {
    PyObject *text, *sentence_list, *mention_list, *fallback;
    if (!PyArg_ParseTuple(args, "UOOO", &text, &sentence_list, &mention_list, &fallback)) {
        return NULL;
    }
    PyObject *sentence_items = PySequence_Fast(sentence_list, "sentences must be a sequence");
    PyObject *mention_items = PySequence_Fast(mention_list, "mentions must be a sequence");
    Py_ssize_t sentence_count = sentence_items ? PySequence_Fast_GET_SIZE(sentence_items) : 0;
    Py_ssize_t found_count = mention_items ? PySequence_Fast_GET_SIZE(mention_items) : 0;
    size_t sentences_size = (size_t)sentence_count + 1, found_size = (size_t)found_count + 1;
    Span *sentences = PyMem_Malloc(sizeof(Span) * sentences_size);
    Py_ssize_t *sentence_starts = PyMem_Malloc(sizeof(Py_ssize_t) * sentences_size);
    char *seen = PyMem_Calloc(sentences_size, 1);
    Found *found = PyMem_Calloc(found_size, sizeof(Found));
    Target *targets = PyMem_Malloc(sizeof(Target) * found_size);
    Py_ssize_t *group_of = PyMem_Malloc(sizeof(Py_ssize_t) * found_size);
    Py_ssize_t *counts = PyMem_Malloc(sizeof(Py_ssize_t) * found_size);
    double *tones = PyMem_Malloc(sizeof(double) * found_size);
    Scratch scratch = {0};
    int has_scratch = 0;
    PyObject *rows = NULL;
    if (sentence_items == NULL || mention_items == NULL) {
        goto done;
    }
    if (!sentences || !sentence_starts || !seen || !found || !targets || !group_of || !counts ||
        !tones) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < sentence_count; i++) {
        if (read_span(PySequence_Fast_GET_ITEM(sentence_items, i), &sentences[i].start,
                      &sentences[i].end) < 0) {
            goto done;
        }
    }
    qsort(sentences, (size_t)sentence_count, sizeof(Span), compare_spans);
    for (Py_ssize_t i = 0; i < sentence_count; i++) {
        sentence_starts[i] = sentences[i].start;
    }
    for (Py_ssize_t m = 0; m < found_count; m++) {
        if (read_mention(PySequence_Fast_GET_ITEM(mention_items, m), &found[m]) < 0) {
            goto done;
        }
        Py_ssize_t index = bisect(sentence_starts, sentence_count, found[m].start, 1) - 1;
        int inside = index >= 0 && found[m].start < sentences[index].end;
        found[m].sentence = inside ? index : -1;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (table.slots == NULL || allocate_scratch(&scratch, length) < 0) {
        if (table.slots == NULL) {
            PyErr_SetString(PyExc_RuntimeError, "core._native is not configured");
        }
        goto done;
    }
    has_scratch = 1;
    rows = PyList_New(0);
    /* sentences in the order of their first mention, as group_by_sentence's dict has them */
    for (Py_ssize_t m = 0; m < found_count && rows != NULL; m++) {
        Py_ssize_t index = found[m].sentence;
        if (index < 0 || seen[index]) {
            continue;
        }
        seen[index] = 1;
        Span span = sentences[index];
        span.start = span.start < 0 ? 0 : (span.start > length ? length : span.start);
        span.end = span.end < span.start ? span.start : (span.end > length ? length : span.end);
        Py_ssize_t target_count;
        Py_ssize_t groups = sentence_targets(found, found_count, index, span, targets,
                                             &target_count, group_of, counts);
        int failed;
        if (is_ascii_span(kind, data, span.start, span.end)) {
            for (Py_ssize_t i = span.start; i < span.end; i++) {
                scratch.text[i - span.start] = (char)PyUnicode_READ(kind, data, i);
            }
            failed = sentence_group_tones(scratch.text, span.end - span.start, targets,
                                          target_count, groups, &scratch, tones);
        } else {
            failed = fallback_tones(fallback, text, span, targets, target_count, groups, tones);
        }
        for (Py_ssize_t g = 0; g < groups && !failed; g++) {
            PyObject *row = Py_BuildValue("(nnOdn)", sentences[index].start, sentences[index].end,
                                          found[group_of[g]].iso3, tones[g], counts[g]);
            failed = row == NULL || PyList_Append(rows, row) < 0;
            Py_XDECREF(row);
        }
        if (failed) {
            Py_CLEAR(rows);
        }
    }
done:
    if (found != NULL) {
        for (Py_ssize_t m = 0; m < found_count; m++) {
            Py_XDECREF(found[m].iso3);
        }
    }
    if (has_scratch) {
        free_scratch(&scratch);
    }
    Py_XDECREF(sentence_items);
    Py_XDECREF(mention_items);
    PyMem_Free(sentences);
    PyMem_Free(sentence_starts);
    PyMem_Free(seen);
    PyMem_Free(found);
    PyMem_Free(targets);
    PyMem_Free(group_of);
    PyMem_Free(counts);
    PyMem_Free(tones);
    return rows;
}

static int is_lexicon_character(Py_UCS4 c) { return (c >= 'a' && c <= 'z') || c == '\''; }

/* scorers._lexicon_compound over the [a-z'] words of lowered[start:end]. */
static double lexicon_compound(int kind, const void *data, Py_ssize_t start, Py_ssize_t end,
                               char *word) {
    double total = 0.0;
    Py_ssize_t index = 0, last_negation = -10, at = start;
    while (at < end) {
        while (at < end && !is_lexicon_character(PyUnicode_READ(kind, data, at))) {
            at++;
        }
        Py_ssize_t size = 0;
        while (at < end && is_lexicon_character(PyUnicode_READ(kind, data, at))) {
            word[size++] = (char)PyUnicode_READ(kind, data, at);
            at++;
        }
        if (size == 0) {
            break;
        }
        const Entry *entry = lookup(word, size);
        if ((entry && (entry->flags & NEGATION)) || has_nt(word, size)) {
            last_negation = index;
        }
        if (entry && (entry->flags & IN_LEXICON)) {
            Py_ssize_t distance = index - last_negation;
            total += (distance > 0 && distance <= 3) ? entry->valence * n_scalar : entry->valence;
        }
        index++;
    }
    return total / sqrt(total * total + 15.0);
}

/* lexicon_compounds(lowered, spans) -> [compound of each span]: scorers.lexicon_tones' core. */
static PyObject *lexicon_compounds(PyObject *self, PyObject *args) {
    PyObject *text, *spans;
    if (!PyArg_ParseTuple(args, "UO", &text, &spans)) {
        return NULL;
    }
    PyObject *sequence = PySequence_Fast(spans, "spans must be a sequence");
    if (sequence == NULL) {
        return NULL;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t count = PySequence_Fast_GET_SIZE(sequence);
    PyObject *result = PyList_New(count);
    char *word = PyMem_Malloc((size_t)length + 1);
    if (result == NULL || word == NULL) {
        if (word == NULL) {
            PyErr_NoMemory();
        }
        Py_XDECREF(result);
        result = NULL;
        goto done;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_ssize_t start, end;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(sequence, i), "nn", &start, &end)) {
            Py_CLEAR(result);
            goto done;
        }
        start = start < 0 ? 0 : (start > length ? length : start);
        end = end < start ? start : (end > length ? length : end);
        PyObject *value = PyFloat_FromDouble(lexicon_compound(kind, data, start, end, word));
        if (value == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, i, value);
    }
done:
    PyMem_Free(word);
    Py_DECREF(sequence);
    return result;
}

/* ---- the sentence splitter (core/sentences.py is the reference) ---- */

static int is_terminal(Py_UCS4 c) { return c == '.' || c == '!' || c == '?' || c == 0x2026; }

static int is_terminal_or_closer(Py_UCS4 c) {
    return is_terminal(c) || c == '"' || c == '\'' || c == 0x201d || c == 0x2019 || c == 0xbb ||
           c == ')' || c == ']';
}

static int is_word_character(Py_UCS4 c) { return c == '_' || Py_UNICODE_ISALNUM(c); }

static int is_opening(Py_UCS4 c) {
    return c == '"' || c == 0x201c || c == 0x2018 || c == '\'' || c == '(' || c == '[' ||
           c == 0xab;
}

typedef struct {
    Py_ssize_t *starts, *ends;
    Py_ssize_t count, room;
} Spans;

/* sentences._add_span: text[start:end] trimmed; bare punctuation joins the previous sentence on
 * the same line. */
static int add_span(Spans *spans, int kind, const void *data, Py_ssize_t start, Py_ssize_t end) {
    while (start < end && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, start))) {
        start++;
    }
    while (end > start && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end - 1))) {
        end--;
    }
    if (start == end) {
        return 0;
    }
    int own = spans->count == 0 || Py_UNICODE_ISALNUM(PyUnicode_READ(kind, data, start));
    for (Py_ssize_t i = own ? end : spans->ends[spans->count - 1]; i < start && !own; i++) {
        own = PyUnicode_READ(kind, data, i) == '\n';
    }
    for (Py_ssize_t i = start; i < end && !own; i++) {
        own = Py_UNICODE_ISALNUM(PyUnicode_READ(kind, data, i));
    }
    if (!own) {
        spans->ends[spans->count - 1] = end;
        return 0;
    }
    if (spans->count == spans->room) {
        spans->room = spans->room * 2 + 16;
        Py_ssize_t *starts = PyMem_Realloc(spans->starts, sizeof(Py_ssize_t) * spans->room);
        if (starts == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        spans->starts = starts;
        Py_ssize_t *ends = PyMem_Realloc(spans->ends, sizeof(Py_ssize_t) * spans->room);
        if (ends == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        spans->ends = ends;
    }
    spans->starts[spans->count] = start;
    spans->ends[spans->count++] = end;
    return 0;
}

/* text[period - 7 : period].isalpha(), Python's slice rules included. */
static int seven_letters_before(int kind, const void *data, Py_ssize_t size, Py_ssize_t period) {
    Py_ssize_t start = period - 7;
    if (start < 0) {
        start = start + size < 0 ? 0 : start + size;
    }
    if (start >= period) {
        return 0;
    }
    for (Py_ssize_t i = start; i < period; i++) {
        if (!Py_UNICODE_ISALPHA(PyUnicode_READ(kind, data, i))) {
            return 0;
        }
    }
    return 1;
}

/* sentences._ends_sentence: 1 when the punctuation run text[punct:end] closes a sentence. */
static int ends_sentence(PyObject *text, int kind, const void *data, Py_ssize_t size,
                         Py_ssize_t punct, Py_ssize_t end, PyObject *period_rule) {
    Py_ssize_t at = end;
    while (at < size) {
        Py_UCS4 c = PyUnicode_READ(kind, data, at);
        if (c != ' ' && c != '\t' && c != 0xa0) {
            break;
        }
        at++;
    }
    while (at < size && is_opening(PyUnicode_READ(kind, data, at))) {
        at++;
    }
    if (at == size || !is_word_character(PyUnicode_READ(kind, data, at))) {
        return 1; /* no next word */
    }
    Py_ssize_t word_start = at++;
    while (at < size) {
        Py_UCS4 c = PyUnicode_READ(kind, data, at);
        if (!(is_word_character(c) || c == '\'' || c == 0x2019 || c == '-')) {
            break;
        }
        at++;
    }
    if (Py_UNICODE_ISLOWER(PyUnicode_READ(kind, data, word_start))) {
        return 0;
    }
    if (PyUnicode_READ(kind, data, punct) != '.' ||
        (end - punct > 1 && PyUnicode_READ(kind, data, punct + 1) == '.')) {
        return 1;
    }
    if (seven_letters_before(kind, data, size, punct)) {
        return 1;
    }
    PyObject *next_word = PyUnicode_Substring(text, word_start, at);
    if (next_word == NULL) {
        return -1;
    }
    PyObject *verdict = PyObject_CallFunction(period_rule, "OnO", text, punct, next_word);
    Py_DECREF(next_word);
    if (verdict == NULL) {
        return -1;
    }
    int ends = PyObject_IsTrue(verdict);
    Py_DECREF(verdict);
    return ends;
}

/* One line text[line_start:line_end] into spans. */
static int split_line(PyObject *text, int kind, const void *data, Py_ssize_t size,
                      Py_ssize_t line_start, Py_ssize_t line_end, PyObject *period_rule,
                      Spans *spans) {
    Py_ssize_t start = line_start, at = line_start;
    while (at < line_end) {
        if (!is_terminal(PyUnicode_READ(kind, data, at))) {
            at++;
            continue;
        }
        Py_ssize_t punct = at, end = at + 1;
        while (end < line_end && is_terminal_or_closer(PyUnicode_READ(kind, data, end))) {
            end++;
        }
        at = end;
        if (end == line_end || !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end))) {
            continue; /* no whitespace after the run, inside the line: not a candidate */
        }
        int ends = ends_sentence(text, kind, data, size, punct, end, period_rule);
        if (ends < 0) {
            return -1;
        }
        if (ends) {
            if (add_span(spans, kind, data, start, end) < 0) {
                return -1;
            }
            start = end;
        }
    }
    return add_span(spans, kind, data, start, line_end);
}

/* split_sentences(text, period_rule) -> [(start, end)]: sentences.split_sentences, with
 * period_rule(text, period, next_word) deciding a lone period before a capitalised word. */
static PyObject *split_sentences(PyObject *self, PyObject *args) {
    PyObject *text, *period_rule;
    if (!PyArg_ParseTuple(args, "UO", &text, &period_rule)) {
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    Spans spans = {NULL, NULL, 0, 0};
    PyObject *result = NULL;
    for (Py_ssize_t line_start = 0; line_start <= size;) {
        Py_ssize_t line_end = PyUnicode_FindChar(text, '\n', line_start, size, 1);
        if (line_end == -2) {
            goto done;
        }
        if (line_end < 0) {
            line_end = size;
        }
        if (split_line(text, kind, data, size, line_start, line_end, period_rule, &spans) < 0) {
            goto done;
        }
        line_start = line_end + 1;
    }
    result = PyList_New(spans.count);
    for (Py_ssize_t i = 0; result != NULL && i < spans.count; i++) {
        PyObject *span = Py_BuildValue("(nn)", spans.starts[i], spans.ends[i]);
        if (span == NULL) {
            Py_CLEAR(result);
        } else {
            PyList_SET_ITEM(result, i, span);
        }
    }
done:
    PyMem_Free(spans.starts);
    PyMem_Free(spans.ends);
    return result;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS, "Fill the word table and set VADER's constants."},
    {"word_valences", word_valences, METH_O,
     "(starts, ends, valences, hits) of an ASCII sentence's words, or None for other text."},
    {"clause_tones", clause_tones, METH_VARARGS,
     "Tone toward each group of spans of an ASCII sentence, clause-scoped; None for other text."},
    {"mention_tones", mention_tones, METH_VARARGS,
     "Tone toward each country in each sentence that mentions it, clause-scoped."},
    {"split_sentences", split_sentences, METH_VARARGS,
     "(start, end) spans of the sentences of a text, as core.sentences.split_sentences."},
    {"lexicon_compounds", lexicon_compounds, METH_VARARGS,
     "The cheap lexicon tone of each (start, end) span of a lower-cased text."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_native", NULL, -1, methods};

PyMODINIT_FUNC PyInit__native(void) { return PyModule_Create(&module); }
