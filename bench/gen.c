/* bench-gen: writes a synthetic paper list of N records in the format of
 * examples/iclr2020-talks.txt, for the benchmark (bench/run.sh).
 *
 *   bench-gen N [SEED] > list.txt
 *
 * The output depends only on N and SEED (default 2020): a fixed
 * pseudo-random generator, no clock, no locale. Titles and OpenReview ids
 * are distinct for every record (no record is dropped as a duplicate), and
 * the first N records are the same whatever N is. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
/* Abstracts are written up to at least this length (bytes). */
#define ABSTRACT_MIN 1150

static uint64_t rng_state;

/* splitmix64: small, fast, same sequence on every platform. */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static size_t pick(size_t n)
{
	return (size_t)(rnd() % n);
}

/* 1 with probability percent/100. */
static int chance(unsigned percent)
{
	return rnd() % 100 < percent;
}

/* Title parts: a record's title is a bijection of its index over
 * lead x adjective x noun x task, so titles never repeat (below
 * 40 * 32 * 32 * 32 = 1,310,720 records). */
static const char *const lead[] = {
	"Reformer", "GenDICE", "BackPACK", "CATER", "Mogrifier", "DeepGRU",
	"FedAvg", "Hyper", "SELF", "Meta-Q", "LSTM-X", "NeRF", "GraphZoom",
	"Dream", "Mirror", "Ablate", "Tensor", "PAC-Bayes", "Score", "Flow",
	"Kernel", "Bandit", "Sparse", "Lottery", "Echo", "Gated", "Causal",
	"Anchor", "Prism", "Lipschitz", "Bayes", "Drift", "Atlas", "Quanta",
	"Sinkhorn", "Wasserstein", "Pólya", "Möbius", "Hölder", "Schrödinger",
};
static const char *const adjective[] = {
	"Efficient", "Robust", "Scalable", "Provable", "Implicit", "Adaptive",
	"Stochastic", "Contrastive", "Generalized", "Differentiable",
	"Hierarchical", "Compositional", "Invariant", "Sparse", "Federated",
	"Principled", "Deep", "Shallow", "Equivariant", "Causal", "Offline",
	"Unsupervised", "Self-Supervised", "Multi-Agent", "Non-IID",
	"Bayesian", "Variational", "Low-Rank", "Mixed-Precision", "Reversible",
	"Energy-Based", "Certified",
};
static const char *const noun[] = {
	"Transformers", "Weight Initialization", "Gradient Descent",
	"Policy Evaluation", "Graph Networks", "World Models",
	"Language Generation", "Normalizing Flows", "Hypernetworks",
	"Attention", "Optimal Transport", "Kernel Methods", "Autoencoders",
	"Value Functions", "Tree Search", "Neural ODEs", "Mixture Models",
	"Embeddings", "Recurrent Networks", "Diffusion Models",
	"Reward Shaping", "Memory Networks", "Capsules", "Dropout",
	"Batch Normalization", "Curriculum Learning", "Knowledge Distillation",
	"Pruning", "Quantization", "Data Augmentation", "Spectral Methods",
	"Score Matching",
};
static const char *const task[] = {
	"for Language Modeling", "on Non-IID Data", "with Noisy Labels",
	"in Reinforcement Learning", "for Video Understanding",
	"under Distribution Shift", "via Mutual Information",
	"for Few-Shot Learning", "at Scale", "without Backpropagation",
	"for Molecular Design", "in the Wild", "for Speech Recognition",
	"on Graphs", "with Theoretical Guarantees", "for Image Captioning",
	"through the Lens of Optimization", "for Program Synthesis",
	"across Tasks", "in High Dimensions", "with Sparse Rewards",
	"for Continual Learning", "beyond the NTK Regime",
	"for Machine Translation", "in Partially Observable Worlds",
	"for 3D Reconstruction", "with Limited Supervision",
	"for Time Series", "from Pixels", "& Beyond", "for 100% Recall",
	"in O(n log n) Time",
};

/* Names: given names, particles, family names, suffixes, with accents. */
static const char *const given[] = {
	"Nikita", "Łukasz", "Anselm", "Mihaela", "José", "François", "Zoë",
	"Søren", "Ruiyi", "Bo", "Lihong", "Dale", "Xiang", "Kaixuan", "Ana",
	"Jürgen", "Mikołaj", "Gábor", "Ilya", "Chloé", "Hervé", "Yoshua",
	"Aäron", "Emma", "Jean-Baptiste", "Martin Luther", "Dzmitry", "Ines",
	"Siddhartha", "Oriol", "Tomás", "Marie-Anne", "Hye-Jin", "Thu Trang",
	"Rémi", "Björn", "Ondřej", "Žiga", "Nuño", "Felix",
};
static const char *const particle[] = {
	"van", "van der", "von", "de", "de la", "del", "di", "da", "van den",
	"le", "dos", "ter",
};
static const char *const family[] = {
	"Kitaev", "Kaiser", "Levskaya", "Schaar", "García", "Bińkowski",
	"Müller", "Schmidhuber", "Nguyễn", "Dangel", "Kunstner", "Hennig",
	"Zhang", "Dai", "Li", "Schuurmans", "Huang", "Yang", "Wang", "Brčić",
	"Sutskever", "Courville", "Larochelle", "Bengio", "Hjelm", "Łącki",
	"Ødegård", "Pérez", "Gómez", "Ibáñez", "Çelik", "Erdős", "Šimůnek",
	"Kipf", "Welling", "Pol", "Oord", "Harwath", "Melis", "Dyer",
};
static const char *const suffix[] = {"Jr.", "III", "Sr.", "II"};
static const char *const marker[] = {"*", "†", "1", "*2", "‡"};

/* Sentences of abstracts: plain text with LaTeX specials, as copied from
 * OpenReview. */
static const char *const sentence[] = {
	"Large Transformer models routinely achieve state-of-the-art results "
	"on a number of tasks but training these models can be prohibitively "
	"costly, especially on long sequences.",
	"We replace dot-product attention by one that uses locality-sensitive "
	"hashing, changing its complexity from O(L^2) to O(L log L), where L is "
	"the length of the sequence.",
	"Our method improves accuracy by 3.5% on ImageNet & CIFAR-10 while "
	"using 40% fewer parameters than the baseline.",
	"Training costs about $2,000 on a cloud instance, compared to $25,000 "
	"for the previous state of the art.",
	"We evaluate on the #1 ranked benchmark of the GLUE leaderboard and on "
	"the SQuAD_v2 and MS_MARCO data sets.",
	"The objective takes the form {f(x) : x in X} and is minimised with "
	"stochastic gradient descent (SGD) and Adam.",
	"Results hold for approximately ~10^6 samples, and for every horizon "
	"H greater than the mixing time of the chain.",
	"Computer vision has undergone a dramatic revolution in performance, "
	"driven in large part through deep features trained on large-scale "
	"supervised datasets.",
	"However, much of these improvements have focused on static image "
	"analysis; video understanding has seen rather modest improvements.",
	"We posit that current video datasets are plagued with implicit "
	"biases over scene and object structure that can dwarf variations in "
	"temporal structure.",
	"Federated learning enables a large amount of edge computing devices "
	"to jointly learn a model without data sharing.",
	"As a leading algorithm in this setting, Federated Averaging "
	"(\\texttt{FedAvg}) runs SGD in parallel on a small subset of the "
	"total devices.",
	"To address this problem, we introduce an efficient framework built on "
	"top of PyTorch that extends the backpropagation algorithm.",
	"Its capabilities are illustrated by benchmark reports for computing "
	"additional quantities on deep neural networks.",
	"We refer to this drawback as {\\it negative diversity ignorance} in "
	"this paper.",
	"Treating all incorrect predictions as equal unfairly downplays the "
	"nuance of these sequences’ detailed token-wise structure.",
	"We prove the consistency of the method under general conditions, "
	"provide a detailed error analysis, and demonstrate strong empirical "
	"performance.",
	"Experiments on Atari & MuJoCo show a 2x speed-up in wall-clock time "
	"and a 17% higher median human-normalised score.",
	"Code, pretrained weights and the 50_000 generated samples are "
	"released under an MIT licence at the address given in the paper.",
	"The resulting algorithm is straightforward and effective, and it "
	"scales linearly with the number of nodes in the graph.",
	"Hypernetworks are meta neural networks that generate weights for a "
	"main neural network in an end-to-end differentiable manner.",
	"We observe that classical weight initialization methods like Glorot "
	"& Bengio (2010) and He et al. (2015) fail to produce weights in the "
	"correct scale.",
	"Our analysis of the Kullback–Leibler term relies on a Pinsker-type "
	"inequality and a bound on the Rényi divergence.",
	"An important problem that arises in reinforcement learning and Monte "
	"Carlo methods is estimating quantities defined by the stationary "
	"distribution of a Markov chain.",
};

/* MathJax triplets as web pages render them: text, TeX, text again. */
static const char *const mathjax[] = {
	"a convergence rate of O ( 1 T ) \\mathcal{O}(\\frac{1}{T}) O(T1) for "
	"strongly convex and smooth problems.",
	"where T T T is the number of SGD steps.",
	"the learning rate η \\eta η must decay.",
	"a 50 % 50\\% 50% reduction of the error.",
};

static const char *const keyword[] = {
	"attention", "locality sensitive hashing", "reversible layers",
	"reinforcement learning", "Federated Learning", "optimization",
	"meta-learning", "hypernetworks", "Video Understanding",
	"Temporal Reasoning", "graph neural networks", "generative models",
	"representation learning", "robustness", "theory", "NLP",
	"computer vision", "Off-policy Policy Evaluation", "Bayesian inference",
	"self-supervised learning", "language modeling", "transfer learning",
	"Fenchel Dual", "stochastic optimization", "Gaussian processes",
};

static const char header[] =
	"ICLR2020国际会议精彩演讲抢先看(含源码)!!\n"
	"\n"
	"来源:AINLPer微信公众号(synthetic benchmark list\n"
	"编辑: bench-gen\n"
	"\n"
	"    Eighth International Conference on Learning Representations "
	"(ICLR2020): a synthetic list written by paperbib's bench/gen.c.\n"
	"\n";

static const char footer[] = "\n推荐阅读\n点赞 分享 在看\n";

static void put_name(FILE *out)
{
	fputs(given[pick(NELEM(given))], out);
	fputc(' ', out);
	if (chance(12)) {
		fputs(particle[pick(NELEM(particle))], out);
		fputc(' ', out);
	}
	fputs(family[pick(NELEM(family))], out);
	if (chance(3)) {
		fputc(' ', out);
		fputs(suffix[pick(NELEM(suffix))], out);
	} else if (chance(8)) {
		fputs(marker[pick(NELEM(marker))], out);
	}
}

/* An OpenReview-like id: 10 characters, distinct for distinct i. */
static void put_id(FILE *out, uint64_t i)
{
	static const char alphabet[] =
		"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	/* multiply by an odd constant: a bijection on 64-bit integers */
	uint64_t x = (i + 1) * 0xD6E8FEB86659FD93ULL;
	char id[11];
	for (int k = 0; k < 10; k++) {
		id[k] = alphabet[x % 62];
		x /= 62;
	}
	id[10] = '\0';
	fputs(id, out);
}

static void put_title(FILE *out, uint64_t i)
{
	const uint64_t total = NELEM(lead) * NELEM(adjective) * NELEM(noun) *
	                       NELEM(task);
	/* 1,000,003 is prime and does not divide total: a bijection mod total */
	uint64_t x = (i * 1000003ULL + 7) % total;
	size_t t = (size_t)(x % NELEM(task));
	x /= NELEM(task);
	size_t n = (size_t)(x % NELEM(noun));
	x /= NELEM(noun);
	size_t a = (size_t)(x % NELEM(adjective));
	x /= NELEM(adjective);
	size_t l = (size_t)x;
	if (chance(5))
		fputs("**", out);
	fprintf(out, "%s: %s %s %s", lead[l], adjective[a], noun[n], task[t]);
	fputc('\n', out);
}

static void put_abstract(FILE *out)
{
	size_t len = 0;
	int own_line = chance(10); /* "Abstract:" alone on its line */
	fputs(own_line ? "Abstract:\n" : "Abstract: ", out);
	while (len < ABSTRACT_MIN) {
		const char *s = chance(4) ? mathjax[pick(NELEM(mathjax))]
		                          : sentence[pick(NELEM(sentence))];
		if (len) {
			fputc(' ', out);
			len++;
		}
		fputs(s, out);
		len += strlen(s);
	}
	fputc('\n', out);
}

static void put_record(FILE *out, uint64_t i)
{
	put_title(out, i);
	size_t n_authors = 1 + pick(8);
	fputs(chance(10) ? "Authors: " : "Author: ", out);
	for (size_t k = 0; k < n_authors; k++) {
		if (k)
			fputs(", ", out);
		put_name(out);
	}
	fputs("\nlink: https://openreview.net/pdf?id=", out);
	put_id(out, i);
	fputc('\n', out);
	if (chance(45))
		fputs("Code: None\n", out);
	else
		fprintf(out, "Code: https://github.com/lab%u/repo-%llu\n",
		        (unsigned)pick(1000), (unsigned long long)i);
	put_abstract(out);
	if (chance(10))
		fputc('\n', out); /* a blank line before Keyword, as in the list */
	if (chance(15)) {
		fputs("Keyword: None\n", out);
	} else {
		size_t n_kw = 1 + pick(5);
		fputs("Keyword: ", out);
		for (size_t k = 0; k < n_kw; k++) {
			if (k)
				fputs(", ", out);
			fputs(keyword[pick(NELEM(keyword))], out);
		}
		fputc('\n', out);
	}
	fputc('\n', out);
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: bench-gen N [SEED] > list.txt\n");
		return 2;
	}
	char *end;
	errno = 0;
	unsigned long long n = strtoull(argv[1], &end, 10);
	if (errno || *end || end == argv[1] || n > 1000000) {
		fprintf(stderr, "bench-gen: N must be 0 to 1000000: '%s'\n", argv[1]);
		return 2;
	}
	unsigned long long seed = 2020;
	if (argc == 3) {
		seed = strtoull(argv[2], &end, 10);
		if (*end || end == argv[2]) {
			fprintf(stderr, "bench-gen: bad SEED '%s'\n", argv[2]);
			return 2;
		}
	}
	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	fputs(header, stdout);
	for (uint64_t i = 0; i < n; i++) {
		/* a record depends on the seed and its index only */
		rng_state = seed * 0x100000001B3ULL + i;
		put_record(stdout, i);
	}
	fputs(footer, stdout);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "bench-gen: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
