// Runs first, in <head>: the page has JavaScript, so the menus may collapse (see ocop.css).
document.documentElement.classList.replace("no-js", "js");
