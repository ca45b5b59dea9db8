// The part of mjml 5's API that chronicle uses (the package ships no types of its own).
declare module 'mjml' {
  interface MjmlError {
    line: number;
    message: string;
    tagName: string;
    formattedMessage: string;
  }
  interface MjmlOptions {
    validationLevel?: 'strict' | 'soft' | 'skip';
    minify?: boolean;
    minifyOptions?: { minifyCss?: boolean; collapseWhitespace?: boolean; removeEmptyAttributes?: boolean };
    fonts?: Record<string, string>;
    keepComments?: boolean;
    beautify?: boolean;
  }
  export default function mjml2html(input: string, options?: MjmlOptions): Promise<{ html: string; errors: MjmlError[] }>;
}
