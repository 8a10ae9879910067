# The two-way fixed-effects benchmark model in R (bench/fit.sh runs it; never CI):
#   Rscript bench/fit.R ROUTE CSV OUT_JSON
# ROUTE "collapse": alternating projections with collapse::fwithin (group, then year, until no value moves by more
#   than 1e-12; collapse's own fhdwithin needs the fixest package for two factors, and Debian has no r-cran-fixest),
#   then lm.fit, and the cluster
#   sandwich from per-cluster score sums (rowsum), with this project's convention G/(G-1)(N-1)/(N-K), K = regressors +
#   year levels (the group effect is nested in the cluster, as Stata xtreg and fixest count it).
# ROUTE "estimatr": estimatr::lm_robust(fixed_effects = ~ g + t, clusters = g, se_type = "stata").
# Reading the CSV (data.table::fread) is timed apart from the fit.
suppressMessages(library(data.table))
args <- commandArgs(TRUE)
route <- args[1]; csv <- args[2]; out <- args[3]
terms <- paste0("x", 1:5)
t0 <- proc.time()[["elapsed"]]
d <- fread(csv, showProgress = FALSE)
read_s <- proc.time()[["elapsed"]] - t0
t1 <- proc.time()[["elapsed"]]
if (route == "collapse") {
  suppressMessages(library(collapse))
  fg <- qF(d$g); ft <- qF(d$t)
  M <- cbind(y = d$y, as.matrix(d[, ..terms]))
  iterations <- 0
  repeat {
    iterations <- iterations + 1
    M2 <- fwithin(fwithin(M, fg), ft)
    delta <- max(abs(M2 - M)); M <- M2
    if (delta < 1e-12 || iterations >= 10000) break
  }
  X <- M[, terms]; y <- M[, "y"]
  fit <- lm.fit(X, y)
  b <- fit$coefficients
  e <- fit$residuals
  bread <- chol2inv(fit$qr$qr[1:5, 1:5, drop = FALSE])
  scores <- rowsum(X * e, d$g, reorder = FALSE)
  meat <- crossprod(scores)
  G <- nrow(scores); N <- nrow(d); K <- 5 + length(unique(d$t))
  V <- G / (G - 1) * (N - 1) / (N - K) * bread %*% meat %*% bread
  se <- sqrt(diag(V))
} else if (route == "estimatr") {
  suppressMessages(library(estimatr))
  fit <- lm_robust(y ~ x1 + x2 + x3 + x4 + x5, data = d, fixed_effects = ~ g + t, clusters = g, se_type = "stata")
  b <- coef(fit)[terms]; se <- fit$std.error[terms]
} else stop("unknown route ", route)
fit_s <- proc.time()[["elapsed"]] - t1
names(b) <- terms; names(se) <- terms
num <- function(v) paste0("{", paste0('"', names(v), '":', formatC(v, digits = 17, format = "g"), collapse = ","), "}")
writeLines(sprintf('{"route":"%s","rows":%d,"read_seconds":%.2f,"fit_seconds":%.2f,"estimate":%s,"std_error":%s}',
                   route, nrow(d), read_s, fit_s, num(b), num(se)), out)
cat(sprintf("%s: %d rows, read %.1f s, fit %.1f s\n", route, nrow(d), read_s, fit_s))
