# Brute-force wild cluster restricted bootstrap (Rademacher, H0: beta = 0) of the headline model on the real panel,
# refitting the full dummy model (region and year effects) for each draw: an independent check of the fast
# algebra of `fit --bootstrap wcr`. Input: the CSV that bench/inference.sh exports with R_CHECK=1 (argument 1).
# Needs r-base-core only. About 3 minutes per cluster variable for 9,999 draws on 2 cores.
d <- read.csv(commandArgs(TRUE)[1])
repeat { tab <- table(d$region_code); keep <- d$region_code %in% names(tab[tab > 1]); if (all(keep)) break; d <- d[keep, ] }
cat("rows", nrow(d), "\n")
X <- model.matrix(~ learning_rate_lag1 + factor(region_code) + factor(year), d)
y <- d$log_productivity_eur
XtXinv <- solve(crossprod(X))
b <- XtXinv %*% crossprod(X, y)
for (clname in c("country", "region_code")) {
  cl <- as.integer(factor(d[[clname]]))
  a <- XtXinv[2, ]
  v2 <- function(e) { s <- rowsum(X * as.vector(e), cl); sum((s %*% a)^2) }
  e <- y - X %*% b
  t0 <- b[2] / sqrt(v2(e))
  Xr <- X[, -2]
  br <- solve(crossprod(Xr), crossprod(Xr, y))
  yr <- Xr %*% br
  u <- y - yr
  G <- max(cl)
  set.seed(1)
  B <- 9999
  hits <- 0
  for (i in 1:B) {
    v <- sample(c(-1, 1), G, replace = TRUE)
    ys <- yr + u * v[cl]
    bs <- XtXinv %*% crossprod(X, ys)
    es <- ys - X %*% bs
    ts <- bs[2] / sqrt(v2(es))
    if (abs(ts) >= abs(t0)) hits <- hits + 1
  }
  cat(clname, "G", G, "beta", b[2], "t(raw)", t0, "WCR p", hits / B, "\n")
}
