# reference.R -- certified reference outputs for panel standard errors
# (Driscoll-Kraay / vcovSCC and Cameron-Gelbach-Miller two-way clustering).
#
# Generated with:
#   R version 4.2.2 Patched (2022-11-10 r83330)
#   plm      2.6.2   (Debian r-cran-plm)
#   sandwich 3.0.2   (Debian r-cran-sandwich)
#   date     2026-12-02
#
# Run:  cd src/test/resources/reference/panel-se && Rscript reference.R
# Deterministic: no random numbers, no dates/times written to the outputs.
#
# Outputs (all CSV: header, comma separated, '.' decimals, unquoted,
# shortest decimal representation that round-trips to the exact double):
#   grunfeld.csv      data("Grunfeld", package = "plm"): firm, year, inv, value, capital (200 rows)
#   produc.csv        data("Produc", package = "plm"): state, year, region, pcap, hwy, water,
#                     util, pc, gsp, emp, unemp + log_gsp, log_pcap, log_pc, log_emp (R log()) (816 rows)
#   reference_se.csv  one row per (case, term): case, term, estimate, std_error, maxlag, n, note
#     grunfeld_dk_L{0..4}        plm within (individual) inv ~ value + capital;
#                                sqrt(diag(vcovSCC(m, type = "HC0", maxlag = L)))
#     grunfeld_dk_default        same, maxlag = NULL (plm default floor(max(Ti)^(1/4)); value in maxlag column)
#     grunfeld_tw_dk_L2          plm within (twoways); vcovSCC HC0 maxlag 2
#     produc_dk_L{0,2,4}         plm within (individual) log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp;
#                                vcovSCC HC0 maxlag L
#     produc_tw_dk_L3            same, twoways; vcovSCC HC0 maxlag 3
#     grunfeld_cgm2way_hc0_raw   lm(inv ~ value + capital + factor(firm) + factor(year));
#                                sandwich::vcovCL(cluster = ~ firm + year, type = "HC0", cadjust = FALSE, multi0 = FALSE)
#     grunfeld_oneway_firm_raw, grunfeld_oneway_year_raw, grunfeld_oneway_firmyear_raw
#                                same lm; vcovCL(cluster = ~firm / ~year / ~firmyear, type = "HC0", cadjust = FALSE)
#                                (V_2way = V_firm + V_year - V_firmyear holds exactly; checked below)
#     grunfeld_cluster_firm_hc1  same lm; vcovCL(cluster = ~firm, type = "HC1") (cadjust = TRUE):
#                                factor G/(G-1) * (N-1)/(N-K) with K = 31 lm coefficients
#   reference_vcov.csv  full covariance matrices (case, row, col, value) for every case above,
#                       so off-diagonal terms can be checked too.

suppressPackageStartupMessages({
  library(plm)
  library(sandwich)
})
options(digits = 17)

cat(R.version.string, "\n")
cat("plm", as.character(packageVersion("plm")),
    " sandwich", as.character(packageVersion("sandwich")), "\n\n")

## ---------------------------------------------------------------- helpers
# shortest decimal string (15..17 significant digits) that parses back to x exactly
num2str <- function(x) {
  vapply(x, function(v) {
    if (is.na(v)) return("NA")
    for (d in 15:17) {
      s <- formatC(v, digits = d, format = "g")
      s <- trimws(s)
      if (as.numeric(s) == v) return(s)
    }
    sprintf("%.17g", v)
  }, character(1), USE.NAMES = FALSE)
}

write_plain_csv <- function(df, file) {
  out <- df
  for (nm in names(out)) {
    if (is.double(out[[nm]])) out[[nm]] <- num2str(out[[nm]])
    else out[[nm]] <- ifelse(is.na(out[[nm]]), "", as.character(out[[nm]]))   # NA -> empty field
    stopifnot(!any(grepl("[,\"\n]", out[[nm]])))
  }
  write.table(out, file = file, sep = ",", dec = ".", quote = FALSE,
              row.names = FALSE, col.names = TRUE, eol = "\n")
  # round-trip check
  back <- read.csv(file, stringsAsFactors = FALSE)
  for (nm in names(df)) if (is.double(df[[nm]])) stopifnot(identical(as.double(back[[nm]]), df[[nm]]))
  invisible(NULL)
}

## ---------------------------------------------------------------- data
data("Grunfeld", package = "plm")
data("Produc", package = "plm")

grunfeld <- data.frame(firm = as.integer(Grunfeld$firm), year = as.integer(Grunfeld$year),
                       inv = as.double(Grunfeld$inv), value = as.double(Grunfeld$value),
                       capital = as.double(Grunfeld$capital))
produc <- data.frame(state = as.character(Produc$state), year = as.integer(Produc$year),
                     region = as.integer(as.character(Produc$region)),
                     pcap = as.double(Produc$pcap), hwy = as.double(Produc$hwy),
                     water = as.double(Produc$water), util = as.double(Produc$util),
                     pc = as.double(Produc$pc), gsp = as.double(Produc$gsp),
                     emp = as.double(Produc$emp), unemp = as.double(Produc$unemp),
                     stringsAsFactors = FALSE)
produc$log_gsp  <- log(produc$gsp)
produc$log_pcap <- log(produc$pcap)
produc$log_pc   <- log(produc$pc)
produc$log_emp  <- log(produc$emp)

# both data sets are stored sorted by (unit, year), which is also plm's internal order
stopifnot(!is.unsorted(order(grunfeld$firm, grunfeld$year)),
          !is.unsorted(order(as.integer(Produc$state), produc$year)))   # factor codes: locale-independent

write_plain_csv(grunfeld, "grunfeld.csv")
write_plain_csv(produc, "produc.csv")

## ---------------------------------------------------------------- collectors
rows <- list()
vrows <- list()
add_case <- function(case, est, V, maxlag, n, note, termmap = NULL) {
  terms <- names(est)
  stopifnot(identical(terms, rownames(V)), identical(terms, colnames(V)))
  out_terms <- if (is.null(termmap)) terms else unname(termmap[terms])
  se <- sqrt(diag(V))
  rows[[length(rows) + 1L]] <<- data.frame(case = case, term = out_terms,
                                           estimate = unname(est), std_error = unname(se),
                                           maxlag = as.integer(maxlag), n = as.integer(n),
                                           note = note, stringsAsFactors = FALSE)
  vrows[[length(vrows) + 1L]] <<- data.frame(case = case,
                                             row = rep(out_terms, times = length(terms)),
                                             col = rep(out_terms, each = length(terms)),
                                             value = as.vector(unclass(V)),
                                             stringsAsFactors = FALSE)
  cat(sprintf("%-30s %-10s est=% .17g  se=%.17g\n", case, out_terms, est, se), sep = "")
}

## independent re-implementation of Driscoll-Kraay (used only as a cross-check of plm)
# Xd, ud: within-transformed regressors / residuals; tcode: time index; L: maxlag
dk_manual <- function(Xd, ud, tcode, L) {
  per <- sort(unique(tcode))                    # positions in the sorted set of periods
  H <- t(sapply(per, function(p) { i <- tcode == p; colSums(Xd[i, , drop = FALSE] * ud[i]) }))
  if (ncol(Xd) == 1L) H <- t(H)
  S <- crossprod(H)                              # lag 0: sum_t h_t h_t'
  if (L > 0) for (l in seq_len(L)) {
    G <- crossprod(H[(1 + l):nrow(H), , drop = FALSE], H[1:(nrow(H) - l), , drop = FALSE])
    S <- S + (1 - l / (L + 1)) * (G + t(G))
  }
  B <- solve(crossprod(Xd))
  B %*% S %*% B
}
demean_ind <- function(x, g) x - ave(x, g)
demean_tw  <- function(x, g, t) x - ave(x, g) - ave(x, t) + mean(x)   # balanced panels only

## ---------------------------------------------------------------- Grunfeld, Driscoll-Kraay
pG <- pdata.frame(grunfeld, index = c("firm", "year"))
mG  <- plm(inv ~ value + capital, data = pG, model = "within", effect = "individual")
mGt <- plm(inv ~ value + capital, data = pG, model = "within", effect = "twoways")
nG <- nobs(mG)
cat("Grunfeld pdim:\n"); print(pdim(mG))

XdG <- cbind(value = demean_ind(grunfeld$value, grunfeld$firm),
             capital = demean_ind(grunfeld$capital, grunfeld$firm))
udG <- demean_ind(grunfeld$inv, grunfeld$firm) - drop(XdG %*% coef(mG))
stopifnot(isTRUE(all.equal(unname(udG), unname(as.numeric(residuals(mG))), tolerance = 1e-10)))

cat("\n== Grunfeld within (individual), vcovSCC HC0 ==\n")
for (L in 0:4) {
  V <- vcovSCC(mG, type = "HC0", maxlag = L)
  Vm <- dk_manual(XdG, udG, grunfeld$year, L)
  stopifnot(isTRUE(all.equal(unname(unclass(V)[, ]), unname(Vm), tolerance = 1e-10)))
  add_case(sprintf("grunfeld_dk_L%d", L), coef(mG), V, L, nG,
           sprintf("plm within individual; vcovSCC type=HC0 maxlag=%d; Bartlett 1-l/(L+1); no small-sample factor; 10 firms x 20 years", L))
}
defaultLag <- floor((max(pdim(mG)$Tint$Ti))^(1/4))
Vdef <- vcovSCC(mG, type = "HC0")   # maxlag = NULL
stopifnot(isTRUE(all.equal(unclass(Vdef)[, ], unclass(vcovSCC(mG, type = "HC0", maxlag = defaultLag))[, ], tolerance = 0)))
cat(sprintf("default maxlag used by plm (floor(max(Ti)^(1/4)) = floor(20^0.25)): %d\n", defaultLag))
add_case("grunfeld_dk_default", coef(mG), Vdef, defaultLag, nG,
         sprintf("plm within individual; vcovSCC type=HC0 maxlag=NULL -> plm default floor(max(Ti)^(1/4)) = floor(20^0.25) = %d", defaultLag))

# documentation check (nothing written): the lag is positional in the sorted set of observed
# periods. Drop calendar year 1940 entirely; plm then pairs 1939 with 1941 at lag 1.
gGap <- grunfeld[grunfeld$year != 1940, ]
mGap <- plm(inv ~ value + capital, data = gGap, index = c("firm", "year"), model = "within")
XGap <- cbind(value = demean_ind(gGap$value, gGap$firm), capital = demean_ind(gGap$capital, gGap$firm))
uGap <- demean_ind(gGap$inv, gGap$firm) - drop(XGap %*% coef(mGap))
stopifnot(isTRUE(all.equal(unname(unclass(vcovSCC(mGap, type = "HC0", maxlag = 1))[, ]),
                           unname(dk_manual(XGap, uGap, gGap$year, 1)), tolerance = 1e-10)))
cat("gap check: with 1940 removed, plm's lag-1 term pairs 1939 with 1941 (positional lag) -- OK\n")

cat("\n== Grunfeld within (twoways), vcovSCC HC0 L=2 ==\n")
XdGt <- cbind(value = demean_tw(grunfeld$value, grunfeld$firm, grunfeld$year),
              capital = demean_tw(grunfeld$capital, grunfeld$firm, grunfeld$year))
udGt <- demean_tw(grunfeld$inv, grunfeld$firm, grunfeld$year) - drop(XdGt %*% coef(mGt))
Vt <- vcovSCC(mGt, type = "HC0", maxlag = 2)
stopifnot(isTRUE(all.equal(unname(unclass(Vt)[, ]), unname(dk_manual(XdGt, udGt, grunfeld$year, 2)), tolerance = 1e-10)))
add_case("grunfeld_tw_dk_L2", coef(mGt), Vt, 2, nG,
         "plm within twoways; vcovSCC type=HC0 maxlag=2; regressors and residuals two-way demeaned")

## ---------------------------------------------------------------- Produc, Driscoll-Kraay
pP <- pdata.frame(Produc, index = c("state", "year"))
fP <- log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp
mP  <- plm(fP, data = pP, model = "within", effect = "individual")
mPt <- plm(fP, data = pP, model = "within", effect = "twoways")
nP <- nobs(mP)
cat("\nProduc pdim:\n"); print(pdim(mP))
mapP <- c("log(pcap)" = "log_pcap", "log(pc)" = "log_pc", "log(emp)" = "log_emp", "unemp" = "unemp")
mapNote <- "term map: log(pcap)->log_pcap log(pc)->log_pc log(emp)->log_emp unemp->unemp; dependent log(gsp)=log_gsp"

XdP <- sapply(c("log_pcap", "log_pc", "log_emp", "unemp"), function(v) demean_ind(produc[[v]], produc$state))
udP <- demean_ind(produc$log_gsp, produc$state) - drop(XdP %*% coef(mP))
XdPt <- sapply(c("log_pcap", "log_pc", "log_emp", "unemp"), function(v) demean_tw(produc[[v]], produc$state, produc$year))
udPt <- demean_tw(produc$log_gsp, produc$state, produc$year) - drop(XdPt %*% coef(mPt))

cat("\n== Produc within (individual), vcovSCC HC0 ==\n")
for (L in c(0, 2, 4)) {
  V <- vcovSCC(mP, type = "HC0", maxlag = L)
  stopifnot(isTRUE(all.equal(unname(unclass(V)[, ]), unname(dk_manual(XdP, udP, produc$year, L)), tolerance = 1e-10)))
  add_case(sprintf("produc_dk_L%d", L), coef(mP), V, L, nP,
           sprintf("plm within individual; vcovSCC type=HC0 maxlag=%d; 48 states x 17 years; %s", L, mapNote),
           termmap = mapP)
}
cat("\n== Produc within (twoways), vcovSCC HC0 L=3 ==\n")
VPt <- vcovSCC(mPt, type = "HC0", maxlag = 3)
stopifnot(isTRUE(all.equal(unname(unclass(VPt)[, ]), unname(dk_manual(XdPt, udPt, produc$year, 3)), tolerance = 1e-10)))
add_case("produc_tw_dk_L3", coef(mPt), VPt, 3, nP,
         sprintf("plm within twoways; vcovSCC type=HC0 maxlag=3; %s", mapNote), termmap = mapP)

## ---------------------------------------------------------------- Grunfeld, lm with dummies + vcovCL
gl <- grunfeld
gl$firmyear <- paste(gl$firm, gl$year, sep = "_")
lmG <- lm(inv ~ value + capital + factor(firm) + factor(year), data = gl)
lmGi <- lm(inv ~ value + capital + factor(firm), data = gl)
K <- length(coef(lmG)); N <- nobs(lmG)
keep <- c("value", "capital")

cat("\n== sanity: within estimates == lm-with-dummies estimates ==\n")
print(rbind(plm_individual = coef(mG), lm_firm_dummies = coef(lmGi)[keep],
            plm_twoways = coef(mGt), lm_firm_year_dummies = coef(lmG)[keep]))
stopifnot(isTRUE(all.equal(coef(mG), coef(lmGi)[keep], tolerance = 1e-10)),
          isTRUE(all.equal(coef(mGt), coef(lmG)[keep], tolerance = 1e-10)))
cat("max |plm - lm| individual:", max(abs(coef(mG) - coef(lmGi)[keep])),
    " twoways:", max(abs(coef(mGt) - coef(lmG)[keep])), "\n")

V2  <- vcovCL(lmG, cluster = ~ firm + year, type = "HC0", cadjust = FALSE, multi0 = FALSE)
V2m <- vcovCL(lmG, cluster = ~ firm + year, type = "HC0", cadjust = FALSE, multi0 = TRUE)
Vf  <- vcovCL(lmG, cluster = ~ firm,     type = "HC0", cadjust = FALSE)
Vy  <- vcovCL(lmG, cluster = ~ year,     type = "HC0", cadjust = FALSE)
Vfy <- vcovCL(lmG, cluster = ~ firmyear, type = "HC0", cadjust = FALSE)
Vhc0 <- sandwich::vcovHC(lmG, type = "HC0")
sub <- function(V) unclass(V)[keep, keep]

idDiff <- max(abs(sub(V2) - (sub(Vf) + sub(Vy) - sub(Vfy))))
cat("\n== CGM identity V_2way = V_firm + V_year - V_firmyear (raw HC0, cadjust=FALSE) ==\n")
cat("V_2way:\n"); print(sub(V2))
cat("V_firm + V_year - V_firmyear:\n"); print(sub(Vf) + sub(Vy) - sub(Vfy))
cat("max abs difference:", idDiff, "\n")
stopifnot(idDiff <= 1e-12 * max(abs(sub(V2))))
cat("multi0=TRUE vs FALSE max abs diff:", max(abs(sub(V2m) - sub(V2))),
    "(firm x year cells are single observations -> V_firmyear is plain HC0 White)\n")
cat("V_firmyear vs vcovHC(HC0) max abs diff:", max(abs(sub(Vfy) - sub(Vhc0))), "\n")
stopifnot(isTRUE(all.equal(sub(V2m), sub(V2), tolerance = 1e-12)),
          isTRUE(all.equal(sub(Vfy), sub(Vhc0), tolerance = 1e-12)))

# the FWL identity: the (value, capital) block of the dummy-lm sandwich equals the sandwich built
# from two-way demeaned regressors and residuals -> check with the manual demeaned quantities
cgm_manual <- function(Xd, ud, cl) {
  H <- rowsum(Xd * ud, cl)
  B <- solve(crossprod(Xd)); B %*% crossprod(H) %*% B
}
Vm2 <- cgm_manual(XdGt, udGt, gl$firm) + cgm_manual(XdGt, udGt, gl$year) - cgm_manual(XdGt, udGt, gl$firmyear)
stopifnot(isTRUE(all.equal(unname(Vm2), unname(sub(V2)), tolerance = 1e-9)))

est2 <- coef(lmG)[keep]
lmNote <- sprintf("lm(inv ~ value + capital + factor(firm) + factor(year)); N=%d K=%d (all lm coefs incl. intercept and dummies)", N, K)
cat("\n== Grunfeld lm with firm+year dummies: cluster-robust SEs ==\n")
add_case("grunfeld_cgm2way_hc0_raw", est2, sub(V2), NA, N,
         paste0(lmNote, "; vcovCL cluster=~firm+year type=HC0 cadjust=FALSE multi0=FALSE (multi0=TRUE gives identical result here since firm x year cells are singletons); V = V_firm + V_year - V_firmyear; no small-sample factor; not PSD-fixed (fix=FALSE)"))
add_case("grunfeld_oneway_firm_raw", est2, sub(Vf), NA, N,
         paste0(lmNote, "; vcovCL cluster=~firm type=HC0 cadjust=FALSE; G=10; no small-sample factor"))
add_case("grunfeld_oneway_year_raw", est2, sub(Vy), NA, N,
         paste0(lmNote, "; vcovCL cluster=~year type=HC0 cadjust=FALSE; G=20; no small-sample factor"))
add_case("grunfeld_oneway_firmyear_raw", est2, sub(Vfy), NA, N,
         paste0(lmNote, "; vcovCL cluster=~firm:year intersection type=HC0 cadjust=FALSE; G=200 singletons = HC0 White"))

V1 <- vcovCL(lmG, cluster = ~ firm, type = "HC1")     # cadjust = TRUE (default)
fac <- (10 / 9) * (N - 1) / (N - K)
stopifnot(isTRUE(all.equal(sub(V1), fac * sub(Vf), tolerance = 1e-12)))
cat(sprintf("HC1 factor G/(G-1)*(N-1)/(N-K) = 10/9*%d/%d = %.17g\n", N - 1, N - K, fac))
add_case("grunfeld_cluster_firm_hc1", est2, sub(V1), NA, N,
         sprintf("%s; vcovCL cluster=~firm type=HC1 cadjust=TRUE; factor G/(G-1)*(N-1)/(N-K) with G=10 N=%d K=%d = %.17g times grunfeld_oneway_firm_raw variance",
                 lmNote, N, K, fac))

## ---------------------------------------------------------------- write
res <- do.call(rbind, rows)
write_plain_csv(res, "reference_se.csv")
write_plain_csv(do.call(rbind, vrows), "reference_vcov.csv")
cat("\nwrote grunfeld.csv produc.csv reference_se.csv reference_vcov.csv\n")
