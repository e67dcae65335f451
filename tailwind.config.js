/** Tailwind CSS configuration: `make generate` builds static/css/app.css from
 *  static/src/app.css, scanning the templ views for the classes they use. */
module.exports = {
  content: ["./views/**/*.templ", "./views/**/*.go", "./handlers/**/*.go", "./static/js/app.js", "./static/js/theme.js"],
  // Dark mode follows the system setting (prefers-color-scheme) unless the
  // theme switch chose one: theme.js puts "light" or "dark" on <html>.
  // Without JavaScript neither class is set and the system decides.
  darkMode: ["variant", ["@media (prefers-color-scheme: dark) { &:not(.light, .light *) }", "&:is(.dark, .dark *)"]],
  theme: {
    extend: {
      fontFamily: {
        // Each system's UI font first; Arial's metric twin (Liberation Sans) on Linux;
        // then each system's Simplified Chinese UI font, for the zh-CN pages.
        sans: ["-apple-system", "BlinkMacSystemFont", '"Segoe UI"', "Roboto", '"Helvetica Neue"', "Arial", '"Noto Sans"',
          '"Liberation Sans"', '"PingFang SC"', '"Hiragino Sans GB"', '"Microsoft YaHei"', '"Noto Sans CJK SC"',
          '"Source Han Sans SC"', '"WenQuanYi Micro Hei"', "sans-serif", '"Apple Color Emoji"', '"Segoe UI Emoji"', '"Noto Color Emoji"'],
        mono: ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", '"Liberation Mono"', '"DejaVu Sans Mono"', "monospace"],
      },
    },
  },
  plugins: [],
};
